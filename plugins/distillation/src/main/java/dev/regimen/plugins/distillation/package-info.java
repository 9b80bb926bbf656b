/**
 * Learning from a trained teacher model, as a PF4J plugin of objectives: knowledge distillation with
 * temperature ({@code distillation}, Hinton et al. 2015), where the student matches the teacher's
 * softened outputs, and FitNets hint training ({@code fitnets}, Romero et al. 2015), where a student
 * layer regresses a teacher layer through a learned regressor before the whole student is distilled.
 *
 * <p>The teacher ({@link dev.regimen.plugins.distillation.Teacher}) is a trained model object or a
 * checkpoint folder; it runs in evaluation mode without gradient. Like every plugin, this one depends
 * on framework-api alone: loading a checkpoint and the two-stage FitNets recipe go through the host's
 * {@link dev.regimen.api.host.HostServices} and {@link dev.regimen.api.train.TrainingSetup}.
 */
package dev.regimen.plugins.distillation;
