package dev.regimen.plugins.normalization;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;

/** Shape and type checks shared by the layers of this package; every message names the layer. */
final class Checks {
  private Checks() {}

  /**
   * Fails unless a per-sample shape has at least the given rank and no empty dimension.
   *
   * @param expected the expected shape in words, e.g. {@code [C, H, W]}
   */
  static void requireRankAtLeast(String layer, long[] shape, int rank, String expected) {
    if (shape.length < rank) {
      throw new ShapeException(layer + " expects per-sample input " + expected + " and got " + Arrays.toString(shape));
    }
    for (long d : shape) {
      if (d < 1) {
        throw new ShapeException(layer + " got per-sample input " + Arrays.toString(shape)
            + ", which has an empty dimension");
      }
    }
  }

  /** Fails unless the input has the floating-point type of the layer's parameters or buffers. */
  static void requireType(String layer, Tensor input, Tensor state) {
    if (input.dataType() != state.dataType()) {
      throw new IllegalArgumentException(layer + " has " + state.dataType() + " parameters and got "
          + input.dataType() + " input " + Arrays.toString(input.shape())
          + "; build and feed a model in one type (Tensor.defaultType)");
    }
  }
}
