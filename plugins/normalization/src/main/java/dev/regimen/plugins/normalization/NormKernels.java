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

  /** Channels per parallel task where each channel has runs of several elements ([N, C, H, W]). */
  private static final int CHANNELS_PER_TASK = 4;

  /** Channels per parallel task where each element is its own run ([N, F]): the loops go along rows. */
  private static final int ROW_CHANNELS_PER_TASK = 128;

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
    return statistics(x, axis, null, null, 0, false);
  }

  /**
   * x standardized with its own statistics, gamma (x - mean) / sqrt(var + epsilon) + beta (gamma and
   * beta may both be null), and those statistics: {y, mean, var}. One copy of x serves both passes,
   * each block of channels normalized while it is in the cache.
   */
  static INDArray[] standardize(INDArray x, INDArray gamma, INDArray beta, int axis, double epsilon) {
    return statistics(x, axis, gamma, beta, epsilon, true);
  }

  private static INDArray[] statistics(INDArray x, int axis, INDArray gamma, INDArray beta, double epsilon,
      boolean normalize) {
    Layout l = Layout.of(x, axis);
    int channels = l.channels();
    int length = (int) x.length();
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    float[] xs = CpuKernels.read(x, scratch.floats(0, length));
    float[] ys = normalize ? scratch.floats(1, length) : null;
    float[] gammas = perChannel(gamma, channels);
    float[] betas = perChannel(beta, channels);
    float[] means = new float[channels];
    float[] vars = new float[channels];
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    double count = (double) l.outer() * l.inner();
    forChannels(l, (from, to) -> {
      double[] sum = new double[to - from];
      double[] sumSq = new double[to - from];
      sums(l, from, to, xs, null, null, sum, sumSq);
      for (int c = from; c < to; c++) {
        double mean = sum[c - from] / count;
        means[c] = (float) mean;
        vars[c] = (float) Math.max(0, sumSq[c - from] / count - mean * mean);
        scale[c] = (float) ((gammas == null ? 1.0 : gammas[c]) / Math.sqrt(vars[c] + epsilon));
        shift[c] = (betas == null ? 0f : betas[c]) - means[c] * scale[c];
      }
      if (normalize) {
        affine(l, from, to, xs, scale, shift, ys);
      }
    });
    INDArray mean = Nd4j.createFromArray(means);
    INDArray var = Nd4j.createFromArray(vars);
    if (!normalize) {
      return new INDArray[] {mean, var};
    }
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    CpuKernels.write(ys, y);
    return new INDArray[] {y, mean, var};
  }

  /** gamma (x - mean) / sqrt(var + epsilon) + beta per channel; gamma and beta may both be null. */
  static INDArray normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, int axis,
      double epsilon) {
    Layout l = Layout.of(x, axis);
    int channels = l.channels();
    int length = (int) x.length();
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    float[] xs = CpuKernels.read(x, scratch.floats(0, length));
    float[] ys = scratch.floats(1, length);
    float[] means = perChannel(mean, channels);
    float[] vars = perChannel(var, channels);
    float[] gammas = perChannel(gamma, channels);
    float[] betas = perChannel(beta, channels);
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = (float) ((gammas == null ? 1.0 : gammas[c]) / Math.sqrt(vars[c] + epsilon));
      shift[c] = (betas == null ? 0f : betas[c]) - means[c] * scale[c];
    }
    forChannels(l, (from, to) -> affine(l, from, to, xs, scale, shift, ys));
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
    CpuKernels.write(ys, y);
    return y;
  }

  /**
   * dL/dx, and where gamma is given dL/dgamma and dL/dbeta.
   *
   * <p>The sums run in float64; dL/dx is then the per-channel affine map a g + b (x - mean) + k with
   * a = gamma / sigma, b = -a dL/dgamma / (M sigma) and k = -a dL/dbeta / M (sigma = sqrt(var +
   * epsilon)), one float32 pass that the JIT vectorizes.
   *
   * @param axis the channel axis of x (0 or 1)
   */
  static INDArray[] backward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray g, int axis,
      double epsilon) {
    long[] shape = x.shape();
    Layout l = Layout.of(x, axis);
    int channels = l.channels();
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
    float[] a = new float[channels];
    float[] b = new float[channels];
    float[] k = new float[channels];
    double count = (double) l.outer() * l.inner();
    forChannels(l, (from, to) -> {
      double[] sumG = new double[to - from];
      double[] sumGx = new double[to - from];
      sums(l, from, to, gs, xs, means, sumG, sumGx);
      for (int c = from; c < to; c++) {
        double invStd = 1.0 / Math.sqrt(vars[c] + epsilon);
        double sumGxHat = sumGx[c - from] * invStd;
        dBeta[c] = (float) sumG[c - from];
        dGamma[c] = (float) sumGxHat;
        double scale = (gammas == null ? 1.0 : gammas[c]) * invStd;
        a[c] = (float) scale;
        b[c] = (float) (-scale * invStd * sumGxHat / count);
        k[c] = (float) (-scale * sumG[c - from] / count);
      }
      inputGradient(l, from, to, gs, a, xs, means, b, k, dx);
    });
    INDArray dxArray = Nd4j.createUninitialized(DataType.FLOAT, shape);
    CpuKernels.write(dx, dxArray);
    if (gamma == null) {
      return new INDArray[] {dxArray};
    }
    return new INDArray[] {dxArray, Nd4j.createFromArray(dGamma), Nd4j.createFromArray(dBeta)};
  }

  /** A block of channels [from, to). */
  @FunctionalInterface
  private interface ChannelBlock {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over blocks of channels in parallel: a few channels per block when each has long
   * runs ([N, C, H, W]), many when each element is its own run ([N, F]: the loops then go along the
   * rows, over contiguous channels).
   */
  private static void forChannels(Layout l, ChannelBlock body) {
    int perBlock = l.inner() == 1 ? ROW_CHANNELS_PER_TASK : CHANNELS_PER_TASK;
    int blocks = (l.channels() + perBlock - 1) / perBlock;
    CpuKernels.parallelFor(blocks, 1, blk -> body.run(blk * perBlock, Math.min(l.channels(), (blk + 1) * perBlock)));
  }

  /**
   * Per channel c of [from, to): sum[c - from] += u and sumSq[c - from] += u v over the channel's
   * elements, with u = p and v = p when {@code q} is null (a sum and a sum of squares), else v = q -
   * mean[c] (the sums of g and of g (x - mean)).
   */
  private static void sums(Layout l, int from, int to, float[] p, float[] q, float[] mean, double[] sum,
      double[] sumSq) {
    int inner = l.inner();
    for (int o = 0; o < l.outer(); o++) {
      if (inner == 1) {
        int base = l.base(o, 0);
        for (int c = from; c < to; c++) {
          double u = p[base + c];
          double v = q == null ? u : q[base + c] - mean[c];
          sum[c - from] += u;
          sumSq[c - from] += u * v;
        }
        continue;
      }
      for (int c = from; c < to; c++) {
        int base = l.base(o, c);
        float mu = q == null ? 0f : mean[c];
        // Four independent accumulators of each sum: the additions overlap instead of waiting on each other.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        int i = base;
        int end = base + inner;
        for (; i + 3 < end; i += 4) {
          double u0 = p[i], u1 = p[i + 1], u2 = p[i + 2], u3 = p[i + 3];
          s0 += u0;
          s1 += u1;
          s2 += u2;
          s3 += u3;
          if (q == null) {
            t0 += u0 * u0;
            t1 += u1 * u1;
            t2 += u2 * u2;
            t3 += u3 * u3;
          } else {
            t0 += u0 * (q[i] - mu);
            t1 += u1 * (q[i + 1] - mu);
            t2 += u2 * (q[i + 2] - mu);
            t3 += u3 * (q[i + 3] - mu);
          }
        }
        for (; i < end; i++) {
          double u = p[i];
          s0 += u;
          t0 += u * (q == null ? u : q[i] - mu);
        }
        sum[c - from] += (s0 + s1) + (s2 + s3);
        sumSq[c - from] += (t0 + t1) + (t2 + t3);
      }
    }
  }

  /** out = in * scale[c] + shift[c] over the channels [from, to). */
  private static void affine(Layout l, int from, int to, float[] in, float[] scale, float[] shift, float[] out) {
    int inner = l.inner();
    for (int o = 0; o < l.outer(); o++) {
      if (inner == 1) {
        int base = l.base(o, 0);
        for (int c = from; c < to; c++) {
          out[base + c] = in[base + c] * scale[c] + shift[c];
        }
        continue;
      }
      for (int c = from; c < to; c++) {
        int base = l.base(o, c);
        float sc = scale[c];
        float sh = shift[c];
        for (int i = base; i < base + inner; i++) {
          out[i] = in[i] * sc + sh;
        }
      }
    }
  }

  /** dx = a[c] g + b[c] (x - mean[c]) + k[c] over the channels [from, to). */
  private static void inputGradient(Layout l, int from, int to, float[] g, float[] a, float[] x, float[] mean, float[] b,
      float[] k, float[] out) {
    int inner = l.inner();
    for (int o = 0; o < l.outer(); o++) {
      if (inner == 1) {
        int base = l.base(o, 0);
        for (int c = from; c < to; c++) {
          out[base + c] = a[c] * g[base + c] + b[c] * (x[base + c] - mean[c]) + k[c];
        }
        continue;
      }
      for (int c = from; c < to; c++) {
        int base = l.base(o, c);
        float ac = a[c];
        float bc = b[c];
        float kc = k[c];
        float mc = mean[c];
        for (int i = base; i < base + inner; i++) {
          out[i] = ac * g[i] + bc * (x[i] - mc) + kc;
        }
      }
    }
  }

  /** A per-channel vector (mean, variance, gamma, beta) copied to the heap; null for an absent one. */
  private static float[] perChannel(INDArray a, int channels) {
    return a == null ? null : CpuKernels.read(a, new float[channels]);
  }
}
