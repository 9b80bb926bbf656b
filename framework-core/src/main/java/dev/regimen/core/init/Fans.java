package dev.regimen.core.init;

import java.util.Arrays;

/** Checks shared by the initializers that scale by fan-in and fan-out. */
final class Fans {
  private Fans() {}

  /** Fails, naming the initializer and the shape, unless both fans are positive. */
  static void requirePositive(String initializer, long[] shape, long fanIn, long fanOut) {
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(initializer + ": fan_in and fan_out must be positive. Received: fan_in="
          + fanIn + ", fan_out=" + fanOut + " for shape " + Arrays.toString(shape));
    }
  }

  /** Fails unless a scale factor is positive and finite, echoing it. */
  static double requirePositiveFinite(String initializer, String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(initializer + ": " + option + " must be positive and finite. Received: "
          + option + "=" + value);
    }
    return value;
  }

  /** Fails unless a negative slope is finite and not negative, echoing it. */
  static double requireSlope(String initializer, double slope) {
    if (!(slope >= 0) || Double.isInfinite(slope)) {
      throw new IllegalArgumentException(initializer + ": negative_slope must be finite and >= 0. Received: "
          + "negative_slope=" + slope);
    }
    return slope;
  }
}
