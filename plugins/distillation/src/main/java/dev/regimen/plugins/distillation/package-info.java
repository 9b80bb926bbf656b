/**
 * Learning from a trained teacher model, as a PF4J plugin of objectives: knowledge distillation with
 * temperature ({@code distillation}, Hinton et al. 2015), where the student matches the teacher's
 * softened outputs, and FitNets hint training ({@code fitnets}, Romero et al. 2015), where a student
 * layer regresses a teacher layer through a learned regressor before the whole student is distilled.
 *
 * <p>The teacher ({@link dev.regimen.plugins.distillation.Teacher}) is a trained model object or a
 * checkpoint folder; it runs in evaluation mode without gradient. Loading a checkpoint and the
 * two-stage FitNets recipe use framework-core, which the host provides at run time.
 */
package dev.regimen.plugins.distillation;
