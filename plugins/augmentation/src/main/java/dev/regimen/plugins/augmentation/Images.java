package dev.regimen.plugins.augmentation;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.train.Augmenter;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What the augmenters of this plugin share: shape checks, random streams and per-sample arrays. */
final class Images {
  private Images() {}

  /**
   * Checks that {@code x} is an NCHW batch [N, C, H, W].
   *
   * @throws ShapeException naming the augmenter and the shape received
   */
  static void requireNchw(String op, INDArray x) {
    if (x.rank() != 4) {
      throw new ShapeException(op + ": inputs must be images [N, C, H, W] (NCHW); got shape "
          + Arrays.toString(x.shape()) + ". Reshape flat rows first, e.g. digits to [N, 1, 8, 8].");
    }
  }

  /** The random stream of one augmenter for one batch: the batch's stream forked by the augmenter's name. */
  static Rng stream(Augmenter.Context ctx, String name) {
    return ctx.rng().fork("augment:" + name);
  }

  /** The floating-point type new arrays take: the inputs' type, or float32 for integer inputs. */
  static DataType floatType(INDArray x) {
    return x.dataType().isFPType() ? x.dataType() : DataType.FLOAT;
  }

  /** Values [N] as [N, 1, ..., 1] of the given rank, to broadcast one value over each sample. */
  static INDArray perSample(INDArray values, int rank) {
    long[] shape = new long[rank];
    Arrays.fill(shape, 1L);
    shape[0] = values.length();
    return values.reshape(shape);
  }

  /** The row 0..n-1 placed along {@code axis} of a rank-3 array [1, n, 1] or [1, 1, n], as float64. */
  static INDArray coordinates(long n, int axis) {
    long[] shape = {1, 1, 1};
    shape[axis] = n;
    return Nd4j.arange(n).castTo(DataType.DOUBLE).reshape(shape);
  }

  /**
   * 1 inside each sample's box and 0 outside, as float64 [N, 1, H, W]: the box of sample n covers rows
   * top[n] .. top[n] + height[n] - 1 and columns left[n] .. left[n] + width[n] - 1 (whole pixels; a
   * box of height or width 0 is empty). One broadcast comparison per edge, no loop over pixels.
   */
  static INDArray boxMask(long h, long w, double[] top, double[] left, double[] height, double[] width) {
    int n = top.length;
    // Whole-number coordinates: i >= top is i > top - 1/2.
    INDArray rows = coordinates(h, 1).broadcast(n, h, 1);
    INDArray columns = coordinates(w, 2).broadcast(n, 1, w);
    INDArray t = Nd4j.createFromArray(top).reshape(n, 1, 1);
    INDArray l = Nd4j.createFromArray(left).reshape(n, 1, 1);
    INDArray bottom = t.add(Nd4j.createFromArray(height).reshape(n, 1, 1)).broadcast(n, h, 1);
    INDArray right = l.add(Nd4j.createFromArray(width).reshape(n, 1, 1)).broadcast(n, 1, w);
    INDArray inRows = rows.gt(t.sub(0.5).broadcast(n, h, 1)).castTo(DataType.DOUBLE)
        .muli(rows.lt(bottom).castTo(DataType.DOUBLE));
    INDArray inColumns = columns.gt(l.sub(0.5).broadcast(n, 1, w)).castTo(DataType.DOUBLE)
        .muli(columns.lt(right).castTo(DataType.DOUBLE));
    return inRows.broadcast(n, h, w).mul(inColumns.broadcast(n, h, w)).reshape(n, 1, h, w);
  }

  /** x limited to [0, 1], in place. */
  static INDArray clipUnit(INDArray x) {
    return Transforms.min(Transforms.max(x, 0.0, false), 1.0, false);
  }

  /** Uniform draws in [low, high) for each of n samples, as float64 [n]; a constant if low == high. */
  static INDArray uniform(Rng rng, double low, double high, long n) {
    return low == high ? Nd4j.valueArrayOf(new long[] {n}, low, DataType.DOUBLE)
        : rng.uniform(DataType.DOUBLE, low, high, n);
  }
}
