package dev.regimen.core.data;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small synthetic data sets with known structure, for tests and experiments: each is seeded by an
 * {@link Rng} (the same seed gives the same set) and built in {@link Tensor#defaultType()}.
 *
 * <ul>
 *   <li>{@link #twoMoons}: two interleaving half circles, not linearly separable (scikit-learn's
 *       {@code make_moons}).
 *   <li>{@link #spirals}: K arms winding out from the origin, hard for a linear model (CS231n's spirals).
 *   <li>{@link #blobs}: Gaussian clusters around random centres (scikit-learn's {@code make_blobs}).
 *   <li>{@link #linearRegression}: y = x w + noise, where zero weights make features irrelevant (a test
 *       for L1 sparsity).
 * </ul>
 *
 * <p>Classes are balanced (the first {@code n % classes} classes get one sample more) and the rows come
 * in a random order, so a plain split or batch sees every class.
 */
public final class Synthetic {
  private Synthetic() {}

  /**
   * {@code n} points in 2-D: class 0 on the upper half circle of radius 1 around (0, 0), class 1 on the
   * lower half circle around (1, 0.5), evenly spaced along each arc, plus Gaussian noise of standard
   * deviation {@code noise} on both coordinates.
   */
  public static Dataset twoMoons(int n, double noise, Rng rng) {
    checkCount(n, 2);
    checkNonNegative("noise", noise);
    double[] points = new double[2 * n];
    double[] labels = new double[n];
    int outer = n - n / 2;
    int inner = n / 2;
    for (int i = 0; i < outer; i++) {
      double t = outer == 1 ? 0 : Math.PI * i / (outer - 1);
      points[2 * i] = Math.cos(t);
      points[2 * i + 1] = Math.sin(t);
    }
    for (int i = 0; i < inner; i++) {
      double t = inner == 1 ? 0 : Math.PI * i / (inner - 1);
      points[2 * (outer + i)] = 1 - Math.cos(t);
      points[2 * (outer + i) + 1] = 0.5 - Math.sin(t);
      labels[outer + i] = 1;
    }
    return noisyShuffled(points, labels, 2, 2, noise, rng);
  }

  /**
   * {@code n} points in 2-D on {@code classes} spiral arms: along arm k the radius grows from 0 to 1 while
   * the angle turns through 4 radians from 2&pi;k/classes; Gaussian noise of standard deviation
   * {@code noise} is added to both coordinates (0.05 to 0.2 keeps the arms apart away from the centre).
   */
  public static Dataset spirals(int n, int classes, double noise, Rng rng) {
    checkClasses(classes);
    checkCount(n, classes);
    checkNonNegative("noise", noise);
    double[] points = new double[2 * n];
    double[] labels = new double[n];
    int row = 0;
    for (int k = 0; k < classes; k++) {
      int count = n / classes + (k < n % classes ? 1 : 0);
      for (int i = 0; i < count; i++) {
        double r = (i + 1.0) / count;
        double angle = 2 * Math.PI * k / classes + 4 * r;
        points[2 * row] = r * Math.cos(angle);
        points[2 * row + 1] = r * Math.sin(angle);
        labels[row++] = k;
      }
    }
    return noisyShuffled(points, labels, 2, classes, noise, rng);
  }

  /**
   * {@code n} points in {@code dims} dimensions around {@code classes} centres drawn uniformly from
   * [-10, 10]^dims; each point is its centre plus Gaussian noise of standard deviation {@code spread}.
   */
  public static Dataset blobs(int n, int classes, int dims, double spread, Rng rng) {
    checkClasses(classes);
    checkCount(n, classes);
    if (dims < 1) {
      throw new IllegalArgumentException("blobs: dims must be at least 1; got dims=" + dims);
    }
    checkNonNegative("spread", spread);
    double[] centres = rng.uniform(org.nd4j.linalg.api.buffer.DataType.DOUBLE, -10, 10, classes, dims)
        .data().asDouble();
    double[] points = new double[n * dims];
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) {
      int k = i % classes;
      System.arraycopy(centres, k * dims, points, i * dims, dims);
      labels[i] = k;
    }
    return noisyShuffled(points, labels, dims, classes, spread, rng);
  }

  /**
   * A regression set of {@code n} rows: features x [n, d] standard normal, with d the number of
   * {@code weights}, and targets y = x w + e [n, 1], where e is Gaussian noise of standard deviation
   * {@code noise}. There is no intercept.
   */
  public static Dataset linearRegression(int n, double[] weights, double noise, Rng rng) {
    if (n < 1) {
      throw new IllegalArgumentException("linearRegression: n must be at least 1; got n=" + n);
    }
    if (weights == null || weights.length == 0) {
      throw new IllegalArgumentException("linearRegression: give at least one weight");
    }
    checkNonNegative("noise", noise);
    var type = Tensor.defaultType();
    INDArray x = rng.normal(type, 0, 1, n, weights.length);
    INDArray w = Nd4j.create(weights, new long[] {weights.length, 1}, 'c').castTo(type);
    INDArray y = x.mmul(w);
    if (noise > 0) {
      y.addi(rng.normal(type, 0, noise, n, 1));
    }
    return Dataset.regression(x, y);
  }

  /** Adds noise to the points, puts the rows in a random order and makes the set. */
  private static Dataset noisyShuffled(double[] points, double[] labels, int dims, int classes, double noise,
      Rng rng) {
    int n = labels.length;
    int[] order = rng.permutation(n);
    double[] shuffledPoints = new double[points.length];
    double[] shuffledLabels = new double[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(points, order[i] * dims, shuffledPoints, i * dims, dims);
      shuffledLabels[i] = labels[order[i]];
    }
    var type = Tensor.defaultType();
    INDArray x = Nd4j.create(shuffledPoints, new long[] {n, dims}, 'c').castTo(type);
    if (noise > 0) {
      x.addi(rng.normal(type, 0, noise, n, dims));
    }
    INDArray y = Nd4j.create(shuffledLabels, new long[] {n}, 'c').castTo(type);
    return Dataset.classification(x, y, classes);
  }

  private static void checkClasses(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("A synthetic classification set needs at least 2 classes; got classes="
          + classes);
    }
  }

  private static void checkCount(int n, int classes) {
    if (n < classes) {
      throw new IllegalArgumentException("Give at least one sample per class (" + classes + "); got n=" + n);
    }
  }

  private static void checkNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0; got " + name + "=" + value);
    }
  }
}
