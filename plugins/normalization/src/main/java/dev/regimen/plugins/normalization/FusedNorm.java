package dev.regimen.plugins.normalization;

import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The kernels of this package: standardization along one kept axis, recorded as differentiable ops
 * ({@link Tensor#fromOp}) with their own backward; in float32 on the CPU through {@link NormKernels},
 * otherwise through libnd4j's fused ops.
 *
 * <p>libnd4j's conventions, as probed on 1.0.0-M2.1 and checked in {@code FusedNormTest} against
 * plain Tensor ops:
 *
 * <ul>
 *   <li>{@code moments(x)}, integer arguments the reduced axes: the mean and the biased variance,
 *       shaped like the kept axis;
 *   <li>{@code batchnorm(x, mean, var[, gamma, beta])}, integer arguments {@code {applyScale,
 *       applyOffset, keptAxis}}, floating-point argument epsilon: y = gamma (x - mean) /
 *       sqrt(var + epsilon) + beta, with mean, var, gamma and beta of shape [size of the kept axis];
 *   <li>{@code batchnorm_bp(x, mean, var[, gamma, beta], dL/dy)}, the same arguments: dL/dx,
 *       dL/dmean, dL/dvar[, dL/dgamma, dL/dbeta]. Its dL/dx is the <em>training</em> gradient: it
 *       takes mean and var to be the batch statistics of x and differentiates through them, and it
 *       returns zeros for dL/dmean and dL/dvar. So it serves batch statistics only; the backward
 *       with fixed (running) statistics is written here with broadcast ops.
 * </ul>
 *
 * <p>One flaw, harmless for training: {@code batchnorm_bp} holds 1/N as a float32 even for float64
 * input, so its float64 gradients agree with the exact ones to about 1e-7 relative (exactly when N
 * is a power of two), not 1e-15. Float32 training cannot tell the difference, and float64 gradient
 * checks (tolerance 1e-5) pass. The fused path was kept because it is faster: forward and backward
 * of batch norm in float32 on 2 threads (best of 8 runs on a shared machine) took 5.5 to 7 times
 * less than the same computation in plain Tensor ops (mean, var, sub, div, mul, add: 8.0 against
 * 1.1 ms on dense [64, 256], 37 against 5.7 ms on convolutional [64, 32, 14, 14]), and 2 to 20%
 * less than a hand-written whole-array version with ND4J's broadcast ops.
 */
final class FusedNorm {
  /** The channel axis of batch norm's input [N, C, ...]. */
  static final int CHANNEL_AXIS = 1;

  private FusedNorm() {}

  /** The mean and the biased variance of x over every axis except {@code kept}, each of shape [x.size(kept)]. */
  static INDArray[] moments(INDArray x, int kept) {
    if (NormKernels.supports(x, kept)) {
      return NormKernels.moments(x, kept);
    }
    long size = x.size(kept);
    INDArray mean = Nd4j.createUninitialized(x.dataType(), size);
    INDArray var = Nd4j.createUninitialized(x.dataType(), size);
    Nd4j.exec(DynamicCustomOp.builder("moments")
        .addInputs(x)
        .addOutputs(mean, var)
        .addIntegerArguments(allBut(x.rank(), kept))
        .build());
    return new INDArray[] {mean, var};
  }

  /** A standardization with batch statistics: its output and the statistics it used, each of shape [C]. */
  record Normalized(Tensor output, INDArray mean, INDArray var) {}

  /**
   * y = gamma (x - mean) / sqrt(var + epsilon) + beta along the channel axis, where mean and var
   * are the {@link #moments} of x itself (batch statistics), returned with y; gamma and beta may both
   * be null (no affine). Gradient: through the batch statistics ({@code batchnorm_bp}'s formula).
   */
  static Normalized normalizeWithBatchStatistics(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
    INDArray xs = x.array();
    INDArray gs = gamma == null ? null : gamma.array();
    INDArray bs = beta == null ? null : beta.array();
    INDArray[] out = standardize(xs, gs, bs, CHANNEL_AXIS, epsilon);
    INDArray mean = out[1];
    INDArray var = out[2];
    Tensor y = Tensor.fromOp("batchnorm", out[0], inputs(x, gamma, beta),
        g -> normalizeBackward(xs, mean, var, gs, bs, g, CHANNEL_AXIS, epsilon));
    return new Normalized(y, mean, var);
  }

  /** {y, mean, var}: x standardized along {@code axis} with its own moments, in one pass where the loops serve x. */
  private static INDArray[] standardize(INDArray x, INDArray gamma, INDArray beta, int axis, double epsilon) {
    if (NormKernels.supports(x, axis)) {
      return NormKernels.standardize(x, gamma, beta, axis, epsilon);
    }
    INDArray[] stats = moments(x, axis);
    return new INDArray[] {normalize(x, stats[0], stats[1], gamma, beta, axis, epsilon), stats[0], stats[1]};
  }

  /**
   * The same with fixed statistics (batch norm's running ones at evaluation), which are constants.
   * Gradient: g gamma / sqrt(var + epsilon) to x, sum(g x_hat) to gamma and sum(g) to beta, the
   * sums over every axis but the channel.
   */
  static Tensor normalizeWithFixedStatistics(Tensor x, INDArray mean, INDArray var, Tensor gamma, Tensor beta,
      double epsilon) {
    INDArray xs = x.array();
    INDArray gs = gamma == null ? null : gamma.array();
    INDArray y = normalize(xs, mean, var, gs, beta == null ? null : beta.array(), CHANNEL_AXIS, epsilon);
    if (!Tensor.isGradEnabled()) {
      return Tensor.of(y);
    }
    // The running statistics change in place while training goes on; the backward needs these values.
    INDArray m = mean.dup();
    INDArray v = var.dup();
    return Tensor.fromOp("batchnorm_fixed", y, inputs(x, gamma, beta), g -> {
      int[] reduced = allBut(g.rank(), CHANNEL_AXIS);
      INDArray scale = Transforms.pow(v.add(epsilon), -0.5, false);
      if (gs != null) {
        scale.muli(gs);
      }
      INDArray dx = Broadcast.mul(g, scale, Nd4j.createUninitialized(g.dataType(), g.shape()), CHANNEL_AXIS);
      if (gs == null) {
        return new INDArray[] {dx};
      }
      INDArray xHat = normalize(xs, m, v, null, null, CHANNEL_AXIS, epsilon);
      return new INDArray[] {dx, xHat.muli(g).sum(reduced), g.sum(reduced)};
    });
  }

  /**
   * Standardizes x in {@code blocks} consecutive blocks of its row-major order (x viewed as
   * [blocks, length / blocks]), each with its own mean and biased variance: layer norm has one block
   * per sample, group norm one per sample and group, instance norm one per sample and channel.
   * Gradient: libnd4j's {@code batchnorm_bp} on the same view, through each block's statistics.
   */
  static Tensor standardizeBlocks(Tensor x, long blocks, double epsilon) {
    long[] shape = x.shape();
    long width = x.length() / blocks;
    INDArray xs = x.array().reshape('c', blocks, width);
    INDArray[] out = standardize(xs, null, null, 0, epsilon);
    INDArray y = out[0].reshape('c', shape);
    return Tensor.fromOp("standardize", y, List.of(x), g -> {
      INDArray dx = normalizeBackward(xs, out[1], out[2], null, null, g.reshape('c', blocks, width), 0, epsilon)[0];
      return new INDArray[] {dx.reshape('c', shape)};
    });
  }

  /**
   * y = x gamma + beta with gamma and beta of shape [C] along the channel axis of x [N, C, ...].
   * Gradient: g gamma to x, sum(g x) to gamma and sum(g) to beta, the sums over every axis but the channel.
   */
  static Tensor channelAffine(Tensor x, Tensor gamma, Tensor beta) {
    INDArray xs = x.array();
    INDArray gs = gamma.array();
    INDArray y = Broadcast.mul(xs, gs, Nd4j.createUninitialized(xs.dataType(), xs.shape()), CHANNEL_AXIS);
    Broadcast.add(y, beta.array(), y, CHANNEL_AXIS);
    return Tensor.fromOp("channel_affine", y, List.of(x, gamma, beta), g -> {
      int[] reduced = allBut(g.rank(), CHANNEL_AXIS);
      INDArray dx = Broadcast.mul(g, gs, Nd4j.createUninitialized(g.dataType(), g.shape()), CHANNEL_AXIS);
      return new INDArray[] {dx, g.mul(xs).sum(reduced), g.sum(reduced)};
    });
  }

  // ------------------------------------------------------------------ libnd4j calls

  private static INDArray normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, int axis,
      double epsilon) {
    if (NormKernels.supports(x, axis)) {
      return NormKernels.normalize(x, mean, var, gamma, beta, axis, epsilon);
    }
    INDArray y = Nd4j.createUninitialized(x.dataType(), x.shape());
    INDArray[] in = gamma == null ? new INDArray[] {x, mean, var} : new INDArray[] {x, mean, var, gamma, beta};
    int affine = gamma == null ? 0 : 1;
    Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(in)
        .addOutputs(y)
        .addIntegerArguments(affine, affine, axis)
        .addFloatingPointArguments(epsilon)
        .build());
    return y;
  }

  /**
   * dL/dx, and with an affine dL/dgamma and dL/dbeta, through batch statistics: {@link
   * NormKernels} for float32 on the CPU, libnd4j's {@code batchnorm_bp} otherwise.
   */
  private static INDArray[] normalizeBackward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
      INDArray g, int axis, double epsilon) {
    if (NormKernels.supports(x, axis)) {
      return NormKernels.backward(x, mean, var, gamma, g, axis, epsilon);
    }
    long size = x.size(axis);
    INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
    INDArray dMean = Nd4j.createUninitialized(x.dataType(), size);
    INDArray dVar = Nd4j.createUninitialized(x.dataType(), size);
    INDArray[] in;
    INDArray[] out;
    if (gamma == null) {
      in = new INDArray[] {x, mean, var, g};
      out = new INDArray[] {dx, dMean, dVar};
    } else {
      in = new INDArray[] {x, mean, var, gamma, beta, g};
      out = new INDArray[] {dx, dMean, dVar,
          Nd4j.createUninitialized(x.dataType(), size), Nd4j.createUninitialized(x.dataType(), size)};
    }
    int affine = gamma == null ? 0 : 1;
    Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
        .addInputs(in)
        .addOutputs(out)
        .addIntegerArguments(affine, affine, axis)
        .addFloatingPointArguments(epsilon)
        .build());
    return gamma == null ? new INDArray[] {dx} : new INDArray[] {dx, out[3], out[4]};
  }

  private static List<Tensor> inputs(Tensor x, Tensor gamma, Tensor beta) {
    return gamma == null ? List.of(x) : List.of(x, gamma, beta);
  }

  /** Every axis of a rank except one. */
  static int[] allBut(int rank, int kept) {
    int[] axes = new int[rank - 1];
    for (int i = 0, k = 0; i < rank; i++) {
      if (i != kept) {
        axes[k++] = i;
      }
    }
    return axes;
  }
}
