package dev.regimen.api.tensor;

/**
 * Stride, zero padding and dilation of a 2-D convolution; the kernel size comes from the weights.
 * The output size along each spatial axis is floor((in + 2 pad - dilation (k - 1) - 1) / stride) + 1.
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

  public Conv2dSpec {
    if (strideH < 1 || strideW < 1) {
      throw new IllegalArgumentException("conv2d: stride must be at least 1; got " + strideH + "x" + strideW);
    }
    if (padH < 0 || padW < 0) {
      throw new IllegalArgumentException("conv2d: padding must not be negative; got " + padH + "x" + padW);
    }
    if (dilationH < 1 || dilationW < 1) {
      throw new IllegalArgumentException("conv2d: dilation must be at least 1; got " + dilationH + "x" + dilationW);
    }
  }

  /** The same stride, padding and dilation along both axes. */
  public static Conv2dSpec of(int stride, int padding, int dilation) {
    return new Conv2dSpec(stride, stride, padding, padding, dilation, dilation);
  }

  /** Stride 1, no padding, no dilation. */
  public static Conv2dSpec defaults() {
    return of(1, 0, 1);
  }

  long outH(long in, long kernel) {
    return Math.floorDiv(in + 2L * padH - (long) dilationH * (kernel - 1) - 1, strideH) + 1;
  }

  long outW(long in, long kernel) {
    return Math.floorDiv(in + 2L * padW - (long) dilationW * (kernel - 1) - 1, strideW) + 1;
  }
}
