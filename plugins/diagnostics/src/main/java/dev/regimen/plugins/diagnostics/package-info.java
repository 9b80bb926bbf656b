/**
 * Diagnostics as a PF4J plugin: schedulers that look at a model at the end of chosen epochs and
 * write what they see into the training history, where it is plotted and compared like any metric.
 *
 * <ul>
 *   <li>{@code variance_shift} ({@link dev.regimen.plugins.diagnostics.VarianceShift}): the variance
 *       of every batch norm's input in training mode against evaluation mode, the "variance shift" of
 *       Li et al. (CVPR 2019) that makes dropout before batch norm hurt; it also warns once per
 *       training when the model puts a dropout-family layer before a batch norm.
 *   <li>{@code activation_stats} ({@link dev.regimen.plugins.diagnostics.ActivationStats}): mean,
 *       variance and fraction of zeros of every layer's output.
 *   <li>{@code weight_stats} ({@link dev.regimen.plugins.diagnostics.WeightStats}): L2 and L1 norms
 *       and the fraction of near-zero entries of every parameter (the sparsity L1 produces).
 * </ul>
 *
 * <p>Every diagnostic runs without gradients and leaves the model as it found it: its training-mode
 * passes switch state updates off, so batch norm's running statistics do not move. The ones that
 * need inputs measure on a fixed probe batch (see {@link dev.regimen.plugins.diagnostics.Diagnostic}),
 * so that one epoch's numbers are comparable with the next.
 *
 * <p>Layers are found through the API's markers ({@link dev.regimen.api.nn.Stochastic}, {@link
 * dev.regimen.api.nn.BatchStatistics}), so this plugin depends on no other plugin at run time.
 */
package dev.regimen.plugins.diagnostics;
