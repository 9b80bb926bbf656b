package dev.regimen.plugins.normalization;

import dev.regimen.api.tensor.Tensor;

/**
 * The normalizations written with plain Tensor ops (mean, var, sub, div, sqrt), each op with its
 * own gradient-checked backward: the independent computation the fused kernels are compared with.
 */
final class Reference {
  private Reference() {}

  /** (x - mean) / sqrt(var + epsilon), the mean and biased variance over the given axes. */
  static Tensor standardize(Tensor x, double epsilon, int... axes) {
    Tensor mean = x.mean(true, axes);
    Tensor var = x.var(true, false, axes);
    return x.sub(mean).div(var.add(epsilon).sqrt());
  }

  /** Batch norm in training: statistics over every axis but the channel axis 1, then gamma and beta per channel. */
  static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
    Tensor y = standardize(x, epsilon, FusedNorm.allBut(x.rank(), 1));
    return gamma == null ? y : y.mul(perChannel(gamma, x.rank())).add(perChannel(beta, x.rank()));
  }

  /** Group norm: x [N, C, ...] viewed as [N, groups, rest], standardized over the rest, then gamma and beta per channel. */
  static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, double epsilon) {
    long[] shape = x.shape();
    Tensor y = standardize(x.reshape(shape[0], groups, -1), epsilon, 2).reshape(shape);
    return gamma == null ? y : y.mul(perChannel(gamma, x.rank())).add(perChannel(beta, x.rank()));
  }

  /** A [C] parameter shaped [C, 1, ...] to broadcast along axis 1 of a batch of the given rank. */
  static Tensor perChannel(Tensor p, int rank) {
    long[] shape = new long[rank - 1];
    java.util.Arrays.fill(shape, 1L);
    shape[0] = p.length();
    return p.reshape(shape);
  }
}
