package dev.regimen.core.layers;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.init.InitializerFactories;
import java.util.Arrays;
import java.util.List;

/** Option and shape checks shared by the built-in layers; every message names the layer. */
final class LayerChecks {
  private LayerChecks() {}

  /**
   * Fails unless a per-sample shape has the given rank and no empty dimension.
   *
   * @param expected the expected shape in words, e.g. {@code [C, H, W]}
   * @param hint what to do about it, or empty
   */
  static void requireRank(String layer, long[] shape, int rank, String expected, String hint) {
    if (shape.length != rank) {
      throw new ShapeException(layer + " expects per-sample input " + expected + " and got "
          + Arrays.toString(shape) + (hint.isEmpty() ? "" : "; " + hint));
    }
    requireNonEmpty(layer, shape);
  }

  /** Fails if a per-sample shape has a dimension below 1. */
  static void requireNonEmpty(String layer, long[] shape) {
    for (long d : shape) {
      if (d < 1) {
        throw new ShapeException(layer + " got per-sample input " + Arrays.toString(shape)
            + ", which has an empty dimension");
      }
    }
  }

  /** Fails unless the input has the floating-point type of the layer's parameters. */
  static void requireSameType(String layer, Tensor input, Tensor parameter) {
    if (input.dataType() != parameter.dataType()) {
      throw new IllegalArgumentException(layer + " has " + parameter.dataType() + " parameters and got "
          + input.dataType() + " input " + Arrays.toString(input.shape())
          + "; build and feed a model in one type (Tensor.defaultType)");
    }
  }

  /**
   * A spatial option given as one value (both axes) or two (height, width), as {@code {h, w}}; the
   * error echoes the value.
   */
  static int[] pair(Options options, String name) {
    List<Integer> values = options.getIntList(name);
    options.check(values.size() == 1 || values.size() == 2,
        name + " must be one value or two (height, width). Received: " + name + "=" + values);
    return values.size() == 1
        ? new int[] {values.get(0), values.get(0)}
        : new int[] {values.get(0), values.get(1)};
  }

  /**
   * The output length of a sliding window along one axis, floor((in + 2 pad - dilation (k - 1) - 1) /
   * stride) + 1, or a value below 1 when the window does not fit (floor, not truncation, so that a
   * negative numerator stays negative).
   */
  static long windowOutput(long in, int kernel, int stride, int pad, int dilation) {
    return Math.floorDiv(in + 2L * pad - (long) dilation * (kernel - 1) - 1, stride) + 1;
  }

  /** An option naming a built-in initializer that needs no options. */
  static OptionSpec initializerOption(String name, String defaultName, String description) {
    return OptionSpec.of(name, OptionType.STRING, defaultName, description)
        .oneOf(InitializerFactories.namesWithoutRequiredOptions());
  }

  /** The initializer an {@link #initializerOption} names. */
  static Initializer initializer(Options options, String name) {
    return InitializerFactories.create(options.getString(name));
  }
}
