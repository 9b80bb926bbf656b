/**
 * Multi-task learning (Caruana 1997, "Multitask Learning"): one network learns several related tasks
 * at once through a shared representation, so that what one task teaches the trunk helps the
 * others (an inductive bias that acts as a regularizer, and more training signal per sample).
 *
 * <p>The model is a {@link dev.regimen.core.layers.MultiHead}: a shared trunk and named heads whose
 * outputs are concatenated. {@link dev.regimen.core.multitask.MultiTaskObjective} splits that output
 * and the target matrix into per-head slices and minimizes a weighted sum of per-head losses,
 * L = sum_h w_h L_h; {@link dev.regimen.core.multitask.HeadMetric} reports a metric for one head
 * ({@code digit_accuracy}, {@code val_digit_accuracy}).
 *
 * <p>Targets are one matrix [N, T], as {@code Dataset.regression(features, targets)} holds them: each
 * head owns a run of columns, in head order. A classification head owns one column holding the class
 * label; a regression head owns as many columns as it has outputs.
 */
package dev.regimen.core.multitask;
