package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded float64 inputs for gradient checks, each a fresh draw from one {@link Rng}, shaped to keep
 * away from the points where an op is not differentiable; and the assertion that runs the check.
 */
final class Draws {
  private final Rng rng;

  Draws(long seed) {
    this.rng = new Rng(seed);
  }

  /** Parses a shape written as {@code 2x3}; {@code scalar} is rank 0. */
  static long[] shape(String text) {
    if (text.equals("scalar")) {
      return new long[0];
    }
    return Arrays.stream(text.split("x")).mapToLong(Long::parseLong).toArray();
  }

  /** Standard-normal parameters. */
  Tensor normal(long... shape) {
    return Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, shape));
  }

  /** Uniform in [0.5, 2): for log, sqrt, fractional powers. */
  Tensor positive(long... shape) {
    return Tensor.parameter(rng.uniform(DataType.DOUBLE, 0.5, 2.0, shape));
  }

  /** Magnitude in [0.2, 1.2), either sign: for abs, the relu family, denominators. */
  Tensor awayFromZero(long... shape) {
    return mapped(shape, u -> u >= 0 ? 0.2 + u : -0.2 + u);
  }

  /** Either inside [-0.4, 0.4] or beyond +-1.1: for clamp(-0.5, 0.5), never near a bound. */
  Tensor awayFromHalf(long... shape) {
    return mapped(shape, u -> {
      double m = Math.abs(u);
      double v = m < 0.5 ? 0.8 * m : 0.6 + m;
      return u >= 0 ? v : -v;
    });
  }

  /** Distinct values at least 0.05 apart in random order: for max and max pooling. */
  Tensor distinct(long... shape) {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int[] order = rng.permutation((int) n);
    double[] jitter = rng.uniform(DataType.DOUBLE, 0, 0.05, n).toDoubleVector();
    double[] values = new double[(int) n];
    for (int i = 0; i < n; i++) {
      values[i] = (order[i] - n / 2.0) * 0.1 + jitter[i];
    }
    return Tensor.parameter(array(values, shape));
  }

  /** A constant 0/1 mask, each element 1 with probability one half. */
  Tensor mask(long... shape) {
    return Tensor.of(rng.bernoulli(DataType.DOUBLE, 0.5, shape));
  }

  Rng rng() {
    return rng;
  }

  private Tensor mapped(long[] shape, DoubleUnaryOperator f) {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] u = rng.uniform(DataType.DOUBLE, -1, 1, n).toDoubleVector();
    return Tensor.parameter(array(Arrays.stream(u).map(f).toArray(), shape));
  }

  private static INDArray array(double[] values, long[] shape) {
    return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
  }

  /** Runs {@link GradientCheck#defaults()} and fails with the worst element if it does not pass. */
  static void assertGradients(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
    assertGradients(GradientCheck.defaults(), f, inputs);
  }

  static void assertGradients(GradientCheck check, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
    GradientCheck.Result result = check.check(f, List.of(inputs), new Rng(97));
    assertTrue(result.passed(),
        () -> "relative error " + result.maxRelativeError() + " at " + result.worst());
  }
}
