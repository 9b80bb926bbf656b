package dev.regimen.testkit;

import dev.regimen.api.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded test inputs that keep away from the points where a layer is not differentiable, so that a
 * finite-difference step never crosses a kink (ReLU at 0, a tie in a max pooling window).
 */
public final class Inputs {
  private Inputs() {}

  /** Standard-normal draws. */
  public static INDArray normal(DataType type, Rng rng, long... shape) {
    return rng.normal(type, 0, 1, shape);
  }

  /** Draws whose magnitude is at least {@code margin}: sign(z) (margin + |z|) for standard-normal z. */
  public static INDArray awayFromZero(DataType type, double margin, Rng rng, long... shape) {
    INDArray z = rng.normal(type, 0, 1, shape);
    INDArray sign = z.gte(0.0).castTo(type).muli(2).subi(1);
    return z.mul(sign).addi(margin).muli(sign);
  }

  /**
   * Distinct values 0.1 apart, centred on zero and in random order, so that no two elements tie (max
   * pooling, sorting) even after a small perturbation.
   */
  public static INDArray distinct(DataType type, Rng rng, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    int[] order = rng.permutation(Math.toIntExact(n));
    double[] values = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      values[i] = (order[i] - order.length / 2.0) * 0.1;
    }
    return Nd4j.create(values, shape, 'c').castTo(type);
  }
}
