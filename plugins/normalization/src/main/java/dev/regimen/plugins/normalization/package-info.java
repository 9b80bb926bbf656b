/**
 * Normalization layers as a PF4J plugin: batch norm ({@code batchnorm}, Ioffe and Szegedy 2015) for
 * dense and convolutional input, and over virtual sub-batches ({@code batchnorm.ghost}, Hoffer et al.
 * 2017), layer norm ({@code layernorm}, Ba et al. 2016), instance norm
 * ({@code instancenorm}, Ulyanov et al. 2016) and group norm ({@code groupnorm}, Wu and He 2018); a
 * convolution with standardized filters, which normalizes the weights instead of the activations
 * ({@code weight_standardization}, Qiao et al. 2019). Batch norm's running statistics can be
 * re-estimated exactly after training by {@link dev.regimen.api.nn.PreciseBatchNorm} (in the API;
 * "precise BN", Wu and Johnson 2021).
 *
 * <p>The activation norms standardize x over some axes, x_hat = (x - mean) / sqrt(var + epsilon) with the
 * biased (population) variance, and then scale and shift, y = gamma x_hat + beta. They differ in the
 * axes: batch norm over the batch and every per-sample axis but the channel, the others within one
 * sample (all of it, a group of channels, one channel). Only batch norm behaves differently in
 * training (batch statistics) and evaluation (running statistics); the others compute the same
 * thing in both. Scales and shifts ({@code gamma}, {@code beta}) are parameters but not weights:
 * penalties and weight decay leave them alone by default, as Keras and PyTorch users expect.
 *
 * <p>In float32 on the CPU the computation runs as loops over the channels ({@code NormKernels}:
 * moments, normalization and the backward, each one parallel pass or two); in float64 and on other
 * backends through libnd4j's fused {@code moments}, {@code batchnorm} and {@code batchnorm_bp} ops
 * ({@code FusedNorm} chooses).
 */
package dev.regimen.plugins.normalization;
