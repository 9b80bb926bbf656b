package dev.regimen.api.tensor;

/**
 * Window, stride and zero padding of a 2-D pooling. For average pooling, {@code countPadding} says
 * whether padded zeros count in the divisor (PyTorch's {@code count_include_pad}); by default they do
 * not, so a window at the border averages only real inputs.
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countPadding) {

  public Pool2dSpec {
    if (kernelH < 1 || kernelW < 1) {
      throw new IllegalArgumentException("pool2d: kernel must be at least 1; got " + kernelH + "x" + kernelW);
    }
    if (strideH < 1 || strideW < 1) {
      throw new IllegalArgumentException("pool2d: stride must be at least 1; got " + strideH + "x" + strideW);
    }
    if (padH < 0 || padW < 0 || padH > kernelH / 2 || padW > kernelW / 2) {
      throw new IllegalArgumentException("pool2d: padding must be between 0 and half the kernel; got "
          + padH + "x" + padW + " for kernel " + kernelH + "x" + kernelW);
    }
  }

  /** A square window with the given stride and padding. */
  public static Pool2dSpec of(int kernel, int stride, int padding) {
    return new Pool2dSpec(kernel, kernel, stride, stride, padding, padding, false);
  }

  long outH(long in) {
    return Math.floorDiv(in + 2L * padH - kernelH, strideH) + 1;
  }

  long outW(long in) {
    return Math.floorDiv(in + 2L * padW - kernelW, strideW) + 1;
  }
}
