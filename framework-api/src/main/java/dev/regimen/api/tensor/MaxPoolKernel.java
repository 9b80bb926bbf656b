package dev.regimen.api.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling in one pass that remembers where each maximum came from, and a backward that scatters
 * the gradient through those indices, as PyTorch does; for NCHW float32 and float64 on the CPU.
 *
 * <p>Why not libnd4j: its {@code maxpool2d_bp} finds the maxima again from the input, window by
 * window, and at the benchmark CNN's shapes took 29 ms against PyTorch's 1.3 (forward 18 against 9,
 * {@code bench/profile ops}); these loops read the input once forward and touch only the winners
 * backward. Ties go to the first maximum in the window (row-major), so a window of equal values
 * (after a ReLU, all zeros) passes its gradient to exactly one input, as in PyTorch; NaN wins over
 * any number, so it propagates. Padded positions never win.
 *
 * <p>The loops run over the N x C planes in parallel, on Java copies of the arrays ({@link
 * CpuKernels}); the winners' indices are an INT32 ND4J array, so they live in the step scope with
 * everything else.
 */
final class MaxPoolKernel {
  private MaxPoolKernel() {}

  /** Planes per parallel task: enough work per task to amortize the fork. */
  private static final int PLANES_PER_TASK = 16;

  /** Whether these loops serve x: float32 or float64 NCHW on the CPU backend. */
  static boolean supports(INDArray x) {
    return x.rank() == 4 && CpuKernels.serves(x);
  }

  /** The pooled output and, per output, the index of its winner within its input plane (h * W + w). */
  record Pooled(INDArray out, INDArray argmax) {}

  static Pooled forward(INDArray x, Pool2dSpec spec, int outH, int outW) {
    int n = (int) x.size(0);
    int c = (int) x.size(1);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    int planes = n * c;
    int outLength = planes * outH * outW;
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    int[] arg = scratch.ints(0, outLength);
    INDArray out = Nd4j.createUninitialized(x.dataType(), n, c, outH, outW);
    if (x.dataType() == DataType.FLOAT) {
      float[] xs = CpuKernels.read(x, scratch.floats(0, (int) x.length()));
      float[] os = scratch.floats(1, outLength);
      CpuKernels.parallelFor(planes, PLANES_PER_TASK, p -> forwardFloat(xs, os, arg, p, h, w, outH, outW, spec));
      CpuKernels.write(os, out);
    } else {
      double[] xs = CpuKernels.read(x, scratch.doubles(0, (int) x.length()));
      double[] os = scratch.doubles(1, outLength);
      CpuKernels.parallelFor(planes, PLANES_PER_TASK, p -> forwardDouble(xs, os, arg, p, h, w, outH, outW, spec));
      CpuKernels.write(os, out);
    }
    INDArray argmax = Nd4j.createUninitialized(DataType.INT, n, c, outH, outW);
    CpuKernels.write(arg, argmax);
    return new Pooled(out, argmax);
  }

  /** dL/dinput: zero everywhere but at each window's winner, which gets (adds, where windows overlap) dL/dout. */
  static INDArray backward(INDArray gradOut, INDArray argmax, long[] inputShape) {
    int planes = (int) (inputShape[0] * inputShape[1]);
    int inPlane = (int) (inputShape[2] * inputShape[3]);
    int outPlane = (int) (gradOut.size(2) * gradOut.size(3));
    CpuKernels.Scratch scratch = CpuKernels.scratch();
    int[] arg = CpuKernels.read(argmax, scratch.ints(0, planes * outPlane));
    INDArray gradIn = Nd4j.createUninitialized(gradOut.dataType(), inputShape);
    if (gradOut.dataType() == DataType.FLOAT) {
      float[] g = CpuKernels.read(gradOut, scratch.floats(1, planes * outPlane));
      float[] gi = scratch.floats(0, planes * inPlane);
      CpuKernels.parallelFor(planes, PLANES_PER_TASK, p -> {
        int o = p * outPlane;
        int i = p * inPlane;
        Arrays.fill(gi, i, i + inPlane, 0f);
        for (int k = 0; k < outPlane; k++) {
          gi[i + arg[o + k]] += g[o + k];
        }
      });
      CpuKernels.write(gi, gradIn);
    } else {
      double[] g = CpuKernels.read(gradOut, scratch.doubles(1, planes * outPlane));
      double[] gi = scratch.doubles(0, planes * inPlane);
      CpuKernels.parallelFor(planes, PLANES_PER_TASK, p -> {
        int o = p * outPlane;
        int i = p * inPlane;
        Arrays.fill(gi, i, i + inPlane, 0d);
        for (int k = 0; k < outPlane; k++) {
          gi[i + arg[o + k]] += g[o + k];
        }
      });
      CpuKernels.write(gi, gradIn);
    }
    return gradIn;
  }

  private static int firstAt(float[] x, int in, int w, int yStart, int yEnd, int xStart, int xEnd, float max) {
    boolean nan = max != max;
    for (int y = yStart; y < yEnd; y++) {
      int row = y * w;
      for (int xx = xStart; xx < xEnd; xx++) {
        float v = x[in + row + xx];
        if (v == max || (nan && v != v)) {
          return row + xx;
        }
      }
    }
    throw new AssertionError("the maximum is in its window");
  }

  private static int firstAt(double[] x, int in, int w, int yStart, int yEnd, int xStart, int xEnd, double max) {
    boolean nan = max != max;
    for (int y = yStart; y < yEnd; y++) {
      int row = y * w;
      for (int xx = xStart; xx < xEnd; xx++) {
        double v = x[in + row + xx];
        if (v == max || (nan && v != v)) {
          return row + xx;
        }
      }
    }
    throw new AssertionError("the maximum is in its window");
  }

  /**
   * The windows of one plane. Any window: the maximum by Math.max (no data-dependent branch; it keeps
   * NaN), then the first position that holds it. float32 also has a straight-line path for the common
   * 2x2 window; float64, used by gradient checks, runs the general one.
   */
  private static void forwardFloat(float[] x, float[] out, int[] arg, int plane, int h, int w,
      int outH, int outW, Pool2dSpec s) {
    int in = plane * h * w;
    int o = plane * outH * outW;
    boolean square2 = s.kernelH() == 2 && s.kernelW() == 2;
    for (int oy = 0; oy < outH; oy++) {
      int y0 = oy * s.strideH() - s.padH();
      int yStart = Math.max(y0, 0);
      int yEnd = Math.min(y0 + s.kernelH(), h);
      for (int ox = 0; ox < outW; ox++, o++) {
        int x0 = ox * s.strideW() - s.padW();
        if (square2 && y0 >= 0 && x0 >= 0 && y0 + 2 <= h && x0 + 2 <= w) {
          int r0 = y0 * w + x0;
          int r1 = r0 + w;
          float a = x[in + r0];
          float b = x[in + r0 + 1];
          float c = x[in + r1];
          float d = x[in + r1 + 1];
          // The common 2x2 window inside the input, with as few branches on the data as the JIT
          // allows: the maximum by Math.max, the winner as the lowest set bit among the inputs equal
          // to it. The general loops below, a branch per element, ran 3 times slower on random data
          // (20 against 6 ms at [128, 32, 28, 28] on one thread). A NaN (then the sum is NaN) takes the
          // general path, which keeps it. Of -0 and +0 the +0 wins (Math.max), which changes nothing.
          if (a + b + c + d == a + b + c + d) {
            float max = Math.max(Math.max(a, b), Math.max(c, d));
            int bits = Float.floatToRawIntBits(max);
            int hits = (Float.floatToRawIntBits(a) == bits ? 1 : 0) | (Float.floatToRawIntBits(b) == bits ? 2 : 0)
                | (Float.floatToRawIntBits(c) == bits ? 4 : 0) | 8;
            int k = Integer.numberOfTrailingZeros(hits);
            out[o] = max;
            arg[o] = r0 + (k & 1) + (k >> 1) * w;
            continue;
          }
        }
        int xStart = Math.max(x0, 0);
        int xEnd = Math.min(x0 + s.kernelW(), w);
        float max = x[in + yStart * w + xStart];
        for (int y = yStart; y < yEnd; y++) {
          int row = in + y * w;
          for (int xx = xStart; xx < xEnd; xx++) {
            max = Math.max(max, x[row + xx]);
          }
        }
        arg[o] = firstAt(x, in, w, yStart, yEnd, xStart, xEnd, max);
        out[o] = max;
      }
    }
  }

  private static void forwardDouble(double[] x, double[] out, int[] arg, int plane, int h, int w,
      int outH, int outW, Pool2dSpec s) {
    int in = plane * h * w;
    int o = plane * outH * outW;
    for (int oy = 0; oy < outH; oy++) {
      int y0 = oy * s.strideH() - s.padH();
      int yStart = Math.max(y0, 0);
      int yEnd = Math.min(y0 + s.kernelH(), h);
      for (int ox = 0; ox < outW; ox++, o++) {
        int x0 = ox * s.strideW() - s.padW();
        int xStart = Math.max(x0, 0);
        int xEnd = Math.min(x0 + s.kernelW(), w);
        double max = x[in + yStart * w + xStart];
        for (int y = yStart; y < yEnd; y++) {
          int row = in + y * w;
          for (int xx = xStart; xx < xEnd; xx++) {
            max = Math.max(max, x[row + xx]);
          }
        }
        arg[o] = firstAt(x, in, w, yStart, yEnd, xStart, xEnd, max);
        out[o] = max;
      }
    }
  }
}
