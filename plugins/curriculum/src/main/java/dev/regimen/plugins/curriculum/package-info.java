/**
 * Curriculum learning as a PF4J plugin (Bengio, Louradour, Collobert and Weston 2009, "Curriculum
 * Learning", ICML): the scheduler {@code curriculum} scores every training sample's difficulty
 * ({@link dev.regimen.plugins.curriculum.Difficulty}) and lets each epoch of a pacing period see only
 * the easiest fraction of the data, a fraction that a pacing function ({@link
 * dev.regimen.plugins.curriculum.Pacing}) grows to the whole set; after the period, training sees all
 * of it in the trainer's usual shuffled order. It chooses the samples through {@code
 * TrainingControl#setEpochSamples} and records the fraction as {@code curriculum_fraction}.
 */
package dev.regimen.plugins.curriculum;
