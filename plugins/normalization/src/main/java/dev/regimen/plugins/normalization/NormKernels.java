package dev.regimen.plugins.normalization;

import dev.regimen.api.tensor.CpuKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standardization along one kept axis for float32 on the CPU, as loops over the channels on Java
 * copies of the arrays ({@link CpuKernels}), accumulating in float64:
 *
 * <pre>
 *   mean = sum(x) / M,   var = sum(x^2) / M - mean^2          (biased; M = elements per channel)
 *   y    = gamma (x - mean) / sqrt(var + epsilon) + beta
 *   x_hat = (x - mean) / sqrt(var + epsilon)
 *   dL/dbeta  = sum(g),   dL/dgamma = sum(g x_hat)
 *   dL/dx     = gamma / sqrt(var + epsilon) * (g - dL/dbeta / M - x_hat * dL/dgamma / M)
 * </pre>
 *
 * with the sums over every axis but the channel (Ioffe and Szegedy 2015, Algorithm 1 and its
 * gradient). libnd4j's {@code moments}, {@code batchnorm} and {@code batchnorm_bp} compute the same;
 * at [128, 32, 28, 28] on 2 threads they took 4.2, 2.8 and 30 ms ({@code bench/profile ops}) where
 * PyTorch takes 4.0 forward and 7.3 backward, and the oneDNN build's {@code batchnorm_bp} crashes the
 * JVM on the variant without gamma and beta. float64 (gradient checks) stays on libnd4j.
 *
 * <p>x is read as [outer, C, inner] with the channel axis in the middle: batch norm's [N, C, H, W] is
 * [N, C, H W], its [N, F] is [N, F, 1], and a standardization of row blocks [B, L] is [1, B, L].
 */
final class NormKernels {
  private NormKernels() {}

  /** Channels per parallel task. */
  private static final int CHANNELS_PER_TASK = 4;

  /** Whether these loops serve x with kept axis {@code axis}: float32 on the CPU, axis 0 or 1. */
  static boolean supports(INDArray x, int axis) {
    return axis <= 1 && x.dataType() == DataType.FLOAT && CpuKernels.serves(x);
  }

  /** x as [outer, channels, inner] around its kept axis (0 or 1). */
  private record Layout(int outer, int channels, int inner) {
    static Layout of(INDArray x, int axis) {
      int channels = (int) x.size(axis);
      int outer = axis == 0 ? 1 : (int) x.size(0);
      return new Layout(outer, channels, (int) (x.length() / ((long) outer * channels)));
    }

    /** Where channel c's run of {@code inner} elements starts in row {@code o}. */
    int base(int o, int c) {
      return (o * channels + c) * inner;
    }
  }

  /** The mean and the biased variance of x per channel, each of shape [C]. */
  static INDArray[] moments(INDArray x, int axis) {
    Layout l = Layout.of(x, axis);
    int outer = l.outer();
    int channels = l.channels();
    int inner = l.inner();
    float[] xs = CpuKernels.read(x, CpuKernels.scratch().floats(0, (int) x.length()));
    float[] means = new float[channels];
    float[] vars = new float[channels];
    double count = (double) outer * inner;
    CpuKernels.parallelFor(channels, CHANNELS_PER_TASK, c -> {
      double sum = 0;
      double sumSq = 0;
      for (int o = 0; o < outer; o++) {
        int base = l.base(o, c);
        for (int i = base; i < base + inner; i++) {
          double v = xs[i];
          sum += v;
          sumSq += v * v;
        }
      }
      double mean = sum / count;
      means[c] = (float) mean;
      vars[c] = (float) Math.max(0, sumSq / count - mean * mean);
    });
    return new INDArray[] {Nd4j.createFromArray(means), Nd4j.createFromArray(vars)};
  }

  /** gamma (x - mean) / sqrt(var + epsilon) + beta per channel; gamma and beta may both be null. */
  static INDArray normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, int axis,
      double epsilon) {
    Layout l = Layout.of(x, axis);
    int outer = l.outer();
    int channels = l.channels();
    int inner = l.inner();
    int length = (int) x.length();
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    float[] xs = CpuKernels.read(x, scratch.floats(0, length));
    float[] ys = scratch.floats(1, length);
    float[] means = perChannel(mean, channels);
    float[] vars = perChannel(var, channels);
    float[] gammas = perChannel(gamma, channels);
    float[] betas = perChannel(beta, channels);
    CpuKernels.parallelFor(channels, CHANNELS_PER_TASK, c -> {
      float scale = (float) ((gammas == null ? 1.0 : gammas[c]) / Math.sqrt(vars[c] + epsilon));
      float shift = (betas == null ? 0f : betas[c]) - means[c] * scale;
      for (int o = 0; o < outer; o++) {
        int base = l.base(o, c);
        for (int i = base; i < base + inner; i++) {
          ys[i] = xs[i] * scale + shift;
        }
      }
    });
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    CpuKernels.write(ys, y);
    return y;
  }

  /**
   * dL/dx, and where gamma is given dL/dgamma and dL/dbeta.
   *
   * @param axis the channel axis of x (0 or 1)
   */
  static INDArray[] backward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray g, int axis,
      double epsilon) {
    long[] shape = x.shape();
    Layout l = Layout.of(x, axis);
    int outer = l.outer();
    int channels = l.channels();
    int inner = l.inner();
    int length = (int) x.length();
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    float[] xs = CpuKernels.read(x, scratch.floats(0, length));
    float[] gs = CpuKernels.read(g, scratch.floats(1, length));
    float[] dx = scratch.floats(2, length);
    float[] means = perChannel(mean, channels);
    float[] vars = perChannel(var, channels);
    float[] gammas = perChannel(gamma, channels);
    float[] dGamma = new float[channels];
    float[] dBeta = new float[channels];
    double count = (double) outer * inner;
    CpuKernels.parallelFor(channels, CHANNELS_PER_TASK, c -> {
      double mu = means[c];
      double invStd = 1.0 / Math.sqrt(vars[c] + epsilon);
      double sumG = 0;
      double sumGx = 0;
      for (int o = 0; o < outer; o++) {
        int base = l.base(o, c);
        for (int i = base; i < base + inner; i++) {
          sumG += gs[i];
          sumGx += gs[i] * (xs[i] - mu);
        }
      }
      double sumGxHat = sumGx * invStd;
      dBeta[c] = (float) sumG;
      dGamma[c] = (float) sumGxHat;
      double scale = (gammas == null ? 1.0 : gammas[c]) * invStd;
      double meanG = sumG / count;
      double meanGxHat = sumGxHat / count;
      for (int o = 0; o < outer; o++) {
        int base = l.base(o, c);
        for (int i = base; i < base + inner; i++) {
          double xHat = (xs[i] - mu) * invStd;
          dx[i] = (float) (scale * (gs[i] - meanG - xHat * meanGxHat));
        }
      }
    });
    INDArray dxArray = Nd4j.createUninitialized(DataType.FLOAT, shape);
    CpuKernels.write(dx, dxArray);
    if (gamma == null) {
      return new INDArray[] {dxArray};
    }
    return new INDArray[] {dxArray, Nd4j.createFromArray(dGamma), Nd4j.createFromArray(dBeta)};
  }

  /** A per-channel vector (mean, variance, gamma, beta) copied to the heap; null for an absent one. */
  private static float[] perChannel(INDArray a, int channels) {
    return a == null ? null : CpuKernels.read(a, new float[channels]);
  }
}
