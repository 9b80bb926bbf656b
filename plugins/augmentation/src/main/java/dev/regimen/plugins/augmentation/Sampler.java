package dev.regimen.plugins.augmentation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Resamples a batch of NCHW images at per-sample source coordinates: the one geometric kernel
 * behind {@code random_crop} and {@code affine}. Output pixel (n, i, j) takes the input of sample n
 * at (sy[n, i, j], sx[n, i, j]), in pixel-index coordinates (pixel centres at integers).
 *
 * <p>Bilinear sampling reads the four neighbours floor(s) and floor(s) + 1 of each coordinate with
 * weights (1 - f) and f, f the fractional part; nearest sampling reads the rounded coordinate. The
 * whole batch is done at once: the images become rows [N*H*W, C] (one row per pixel), every corner is
 * one {@code gather} of those rows by flat index n*H*W + y*W + x, and the corners are summed with
 * their weights. Coordinates and weights are float64, so flat indices stay exact for large batches
 * and whole-number coordinates copy pixels exactly.
 */
final class Sampler {
  private Sampler() {}

  /** What a coordinate outside the image reads. */
  enum Border {
    /** Zero (black for images in [0, 1], the mean for standardized ones). */
    ZERO,
    /** The mirror image without repeating the edge (numpy's and PyTorch's {@code reflect}): -1 reads 1. */
    REFLECT
  }

  /**
   * The images at the given source coordinates.
   *
   * @param images [N, C, H, W]
   * @param sourceY rows to read, broadcastable with {@code sourceX} to [N, Ho, Wo]
   * @param sourceX columns to read
   * @param bilinear bilinear interpolation if true, else the nearest pixel
   * @return [N, C, Ho, Wo] in the images' type
   */
  static INDArray sample(INDArray images, INDArray sourceY, INDArray sourceX, boolean bilinear, Border border) {
    long n = images.size(0);
    long c = images.size(1);
    long h = images.size(2);
    long w = images.size(3);
    INDArray sy = sourceY.castTo(DataType.DOUBLE);
    INDArray sx = sourceX.castTo(DataType.DOUBLE);
    long[] grid = {n, Math.max(sy.size(1), sx.size(1)), Math.max(sy.size(2), sx.size(2))};
    sy = sy.broadcast(grid);
    sx = sx.broadcast(grid);
    INDArray pixels = images.permute(0, 2, 3, 1).dup('c').reshape(n * h * w, c);
    INDArray base = Nd4j.arange(n).castTo(DataType.DOUBLE).muli(h * w).reshape(n, 1, 1);
    Corners corners = new Corners(pixels, base, h, w, border, images.dataType());
    INDArray out;
    if (!bilinear) {
      out = corners.read(Transforms.round(sy, true), Transforms.round(sx, true), null);
    } else {
      INDArray y0 = Transforms.floor(sy, true);
      INDArray x0 = Transforms.floor(sx, true);
      INDArray fy = sy.sub(y0);
      INDArray fx = sx.sub(x0);
      INDArray gy = fy.rsub(1.0);
      INDArray gx = fx.rsub(1.0);
      INDArray y1 = y0.add(1.0);
      INDArray x1 = x0.add(1.0);
      out = corners.read(y0, x0, gy.mul(gx));
      out.addi(corners.read(y0, x1, gy.mul(fx)));
      out.addi(corners.read(y1, x0, fy.mul(gx)));
      out.addi(corners.read(y1, x1, fy.mul(fx)));
    }
    return out.permute(0, 3, 1, 2).dup('c');
  }

  /** Reads whole-number coordinates from the pixel rows of one batch. */
  private record Corners(INDArray pixels, INDArray base, long h, long w, Border border, DataType type) {

    /** The pixels at (y, x) [N, Ho, Wo] as [N, Ho, Wo, C], times {@code weight} (null: 1) and zero outside for ZERO. */
    INDArray read(INDArray y, INDArray x, INDArray weight) {
      INDArray scale = weight;
      if (border == Border.ZERO) {
        INDArray inside = y.gte(0.0).castTo(DataType.DOUBLE)
            .muli(y.lte((double) (h - 1)).castTo(DataType.DOUBLE))
            .muli(x.gte(0.0).castTo(DataType.DOUBLE))
            .muli(x.lte((double) (w - 1)).castTo(DataType.DOUBLE));
        scale = weight == null ? inside : inside.muli(weight);
      } else {
        y = reflect(y, h);
        x = reflect(x, w);
      }
      INDArray index = clamp(y, h).muli((double) w).addi(clamp(x, w)).add(base).castTo(DataType.LONG);
      long[] shape = index.shape();
      INDArray out = Nd4j.createUninitialized(type, shape[0], shape[1], shape[2], pixels.size(1));
      Nd4j.exec(DynamicCustomOp.builder("gather")
          .addInputs(pixels, index)
          .addOutputs(out)
          .addIntegerArguments(0)
          .build());
      return scale == null ? out : out.muli(scale.castTo(type).reshape(shape[0], shape[1], shape[2], 1));
    }

    /** Coordinates in [-(size-1), 2(size-1)] mirrored into [0, size-1]: (size-1) - |(size-1) - |y||. */
    private static INDArray reflect(INDArray y, long size) {
      return Transforms.abs(Transforms.abs(y, true).rsubi((double) (size - 1)), false).rsubi((double) (size - 1));
    }

    private static INDArray clamp(INDArray y, long size) {
      return Transforms.min(Transforms.max(y, 0.0, true), (double) (size - 1), false);
    }
  }
}
