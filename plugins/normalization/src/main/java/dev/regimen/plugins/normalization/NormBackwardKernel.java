package dev.regimen.plugins.normalization;

import dev.regimen.api.tensor.CpuKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward of standardization through batch statistics, for float32 on the CPU, as two passes
 * per channel over Java copies of x and dL/dy ({@link CpuKernels}):
 *
 * <pre>
 *   x_hat = (x - mean) / sqrt(var + epsilon),   M = the count of elements per channel
 *   dL/dbeta  = sum(g),   dL/dgamma = sum(g x_hat)
 *   dL/dx     = gamma / sqrt(var + epsilon) * (g - dL/dbeta / M - x_hat * dL/dgamma / M)
 * </pre>
 *
 * with the sums over every axis but the channel, accumulated in float64 (Ioffe and Szegedy 2015, the
 * gradient of their Algorithm 1). libnd4j's {@code batchnorm_bp} computes the same, but took 30 ms at
 * [128, 32, 28, 28] on 2 threads where PyTorch takes 7 ({@code bench/profile ops}), and its oneDNN
 * build crashes the JVM on the variant without gamma and beta; float64 (gradient checks) stays on it.
 *
 * <p>x is read as [outer, C, inner] with the channel axis in the middle: batch norm's [N, C, H, W] is
 * [N, C, H W], its [N, F] is [N, F, 1], and a standardization of row blocks [B, L] is [1, B, L].
 */
final class NormBackwardKernel {
  private NormBackwardKernel() {}

  /** Channels per parallel task. */
  private static final int CHANNELS_PER_TASK = 4;

  static boolean supports(INDArray x) {
    return x.dataType() == DataType.FLOAT && CpuKernels.serves(x);
  }

  /**
   * dL/dx, and where gamma is given dL/dgamma and dL/dbeta.
   *
   * @param axis the channel axis of x (0 or 1)
   */
  static INDArray[] backward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray g, int axis,
      double epsilon) {
    long[] shape = x.shape();
    int channels = (int) shape[axis];
    int outer = axis == 0 ? 1 : (int) shape[0];
    int inner = (int) (x.length() / ((long) outer * channels));
    int length = (int) x.length();
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    float[] xs = CpuKernels.read(x, scratch.floats(0, length));
    float[] gs = CpuKernels.read(g, scratch.floats(1, length));
    float[] dx = scratch.floats(2, length);
    float[] means = CpuKernels.read(mean, new float[channels]);
    float[] vars = CpuKernels.read(var, new float[channels]);
    float[] gammas = gamma == null ? null : CpuKernels.read(gamma, new float[channels]);
    float[] dGamma = new float[channels];
    float[] dBeta = new float[channels];
    double count = (double) outer * inner;
    CpuKernels.parallelFor(channels, CHANNELS_PER_TASK, c -> {
      double mu = means[c];
      double invStd = 1.0 / Math.sqrt(vars[c] + epsilon);
      double sumG = 0;
      double sumGx = 0;
      for (int o = 0; o < outer; o++) {
        int base = (o * channels + c) * inner;
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
        int base = (o * channels + c) * inner;
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
}
