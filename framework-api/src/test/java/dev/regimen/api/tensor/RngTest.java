package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reproducibility of the seeded streams and the moments of their distributions. */
class RngTest {

  /** Large enough that five standard errors are tight (about 1.6% of sigma for the mean). */
  private static final int N = 100_000;

  /** How many standard errors a sample moment may be off: a false alarm about once in 3.5 million runs. */
  private static final double Z = 5.0;

  private static double[] flat(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  private static double variance(double[] v) {
    double m = mean(v);
    return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
  }

  private static Function<Rng, double[]> draw(String kind, DataType type) {
    return switch (kind) {
      case "normal" -> r -> flat(r.normal(type, 0.5, 2.0, 3, 4));
      case "uniform" -> r -> flat(r.uniform(type, -1, 3, 3, 4));
      case "bernoulli" -> r -> flat(r.bernoulli(type, 0.3, 3, 4));
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
      "normal, FLOAT",
      "normal, DOUBLE",
      "uniform, FLOAT",
      "uniform, DOUBLE",
      "bernoulli, FLOAT",
      "bernoulli, DOUBLE"})
  void theSameSeedGivesTheSameArrays(String kind, DataType type) {
    Function<Rng, double[]> f = draw(kind, type);
    Rng a = new Rng(42);
    Rng b = new Rng(42);
    double[] first = f.apply(a);
    assertArrayEquals(first, f.apply(b));
    double[] second = f.apply(a);
    assertArrayEquals(second, f.apply(b));
    assertFalse(Arrays.equals(first, second), "consecutive draws must differ");
    assertFalse(Arrays.equals(first, f.apply(new Rng(43))), "another seed must give other numbers");
  }

  @Test
  void theSameSeedGivesTheSameScalars() {
    Rng a = new Rng(7);
    Rng b = new Rng(7);
    for (int i = 0; i < 20; i++) {
      assertEquals(a.nextDouble(), b.nextDouble());
      assertEquals(a.nextInt(1000), b.nextInt(1000));
      assertEquals(a.nextGaussian(), b.nextGaussian());
      assertArrayEquals(a.permutation(10), b.permutation(10));
    }
    assertFalse(new Rng(7).nextDouble() == new Rng(8).nextDouble());
  }

  @Test
  void seekingToASavedPositionReplaysTheStream() {
    Rng rng = new Rng(3);
    rng.normal(DataType.FLOAT, 0, 1, 5);
    rng.nextInt(10);
    long saved = rng.position();
    assertEquals(2, saved);
    double[] array = flat(rng.uniform(DataType.DOUBLE, 0, 1, 6));
    double scalar = rng.nextGaussian();
    int[] permutation = rng.permutation(8);

    rng.seek(saved);
    assertArrayEquals(array, flat(rng.uniform(DataType.DOUBLE, 0, 1, 6)));
    assertEquals(scalar, rng.nextGaussian());
    assertArrayEquals(permutation, rng.permutation(8));

    // A fresh generator with the same seed, moved to the saved position, continues identically: a resumed run.
    Rng resumed = new Rng(3);
    resumed.seek(saved);
    assertArrayEquals(array, flat(resumed.uniform(DataType.DOUBLE, 0, 1, 6)));
    assertThrows(IllegalArgumentException.class, () -> resumed.seek(-1));
  }

  @Test
  void forksAreDistinctStreamsThatAreThemselvesReproducible() {
    Rng parent = new Rng(11);
    double[] init = flat(parent.fork("init").normal(DataType.DOUBLE, 0, 1, 8));
    double[] dropout = flat(parent.fork("dropout").normal(DataType.DOUBLE, 0, 1, 8));
    double[] epoch0 = flat(parent.fork(0).normal(DataType.DOUBLE, 0, 1, 8));
    double[] epoch1 = flat(parent.fork(1).normal(DataType.DOUBLE, 0, 1, 8));
    double[] own = flat(new Rng(11).normal(DataType.DOUBLE, 0, 1, 8));
    double[][] all = {init, dropout, epoch0, epoch1, own};
    for (int i = 0; i < all.length; i++) {
      for (int j = i + 1; j < all.length; j++) {
        assertFalse(Arrays.equals(all[i], all[j]), "streams " + i + " and " + j + " coincide");
      }
    }
    assertArrayEquals(init, flat(new Rng(11).fork("init").normal(DataType.DOUBLE, 0, 1, 8)));
    assertArrayEquals(epoch1, flat(new Rng(11).fork(1).normal(DataType.DOUBLE, 0, 1, 8)));
    assertEquals(0, parent.position(), "forking draws nothing from the parent");
    assertFalse(Arrays.equals(init, flat(new Rng(12).fork("init").normal(DataType.DOUBLE, 0, 1, 8))));
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void normalHasItsMeanAndVariance(DataType type) {
    double mu = 0.5;
    double sigma = 2.0;
    double[] v = flat(new Rng(1).normal(type, mu, sigma, N));
    assertEquals(mu, mean(v), Z * sigma / Math.sqrt(N));
    // The sample variance of a normal has variance 2 sigma^4 / (n - 1).
    assertEquals(sigma * sigma, variance(v), Z * sigma * sigma * Math.sqrt(2.0 / (N - 1)));
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void uniformHasItsMeanAndVarianceAndStaysInRange(DataType type) {
    double low = -1;
    double high = 3;
    double width = high - low;
    double[] v = flat(new Rng(2).uniform(type, low, high, N));
    assertTrue(Arrays.stream(v).allMatch(x -> x >= low && x < high));
    assertEquals((low + high) / 2, mean(v), Z * Math.sqrt(width * width / 12 / N));
    // Fourth central moment width^4 / 80, so the sample variance has variance (width^4 / 80 - width^4 / 144) / n.
    assertEquals(width * width / 12, variance(v), Z * Math.sqrt(Math.pow(width, 4) / 180 / N));
  }

  @ParameterizedTest(name = "p = {0}")
  @ValueSource(doubles = {0.1, 0.5, 0.9})
  void bernoulliHasMeanP(double p) {
    double[] v = flat(new Rng(3).bernoulli(DataType.FLOAT, p, N));
    assertTrue(Arrays.stream(v).allMatch(x -> x == 0 || x == 1));
    assertEquals(p, mean(v), Z * Math.sqrt(p * (1 - p) / N));
  }

  @Test
  void bernoulliRejectsAProbabilityOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new Rng(1).bernoulli(DataType.FLOAT, 1.5, 3));
    assertThrows(IllegalArgumentException.class, () -> new Rng(1).bernoulli(DataType.FLOAT, Double.NaN, 3));
  }

  @Test
  void scalarDrawsHaveTheirMeansAndVariances() {
    int n = 20_000;
    Rng rng = new Rng(4);
    double[] gaussian = IntStream.range(0, n).mapToDouble(i -> rng.nextGaussian()).toArray();
    assertEquals(0, mean(gaussian), Z / Math.sqrt(n));
    assertEquals(1, variance(gaussian), Z * Math.sqrt(2.0 / (n - 1)));
    double[] uniform = IntStream.range(0, n).mapToDouble(i -> rng.nextDouble()).toArray();
    assertEquals(0.5, mean(uniform), Z * Math.sqrt(1.0 / 12 / n));
    assertTrue(Arrays.stream(uniform).allMatch(x -> x >= 0 && x < 1));
    int[] ints = IntStream.range(0, n).map(i -> rng.nextInt(10)).toArray();
    assertTrue(Arrays.stream(ints).allMatch(x -> x >= 0 && x < 10));
    assertEquals(4.5, Arrays.stream(ints).average().orElseThrow(), Z * Math.sqrt(99.0 / 12 / n));
  }

  @ParameterizedTest(name = "of {0}")
  @ValueSource(ints = {0, 1, 2, 10, 1000})
  void permutationIsAPermutation(int n) {
    Rng rng = new Rng(5);
    int[] p = rng.permutation(n);
    assertArrayEquals(IntStream.range(0, n).toArray(), Arrays.stream(p).sorted().toArray());
    if (n >= 10) {
      assertFalse(Arrays.equals(IntStream.range(0, n).toArray(), p), "a shuffle of " + n + " left everything in place");
      assertFalse(Arrays.equals(p, rng.permutation(n)), "consecutive shuffles must differ");
    }
  }

  @Test
  void permutationIsUniformOverPositions() {
    // Where element 0 lands over many shuffles of 5: each place with probability 1/5.
    int trials = 20_000;
    int[] counts = new int[5];
    Rng rng = new Rng(6);
    for (int t = 0; t < trials; t++) {
      int[] p = rng.permutation(5);
      for (int i = 0; i < 5; i++) {
        if (p[i] == 0) {
          counts[i]++;
        }
      }
    }
    double expected = trials / 5.0;
    double sd = Math.sqrt(trials * 0.2 * 0.8);
    for (int c : counts) {
      assertEquals(expected, c, Z * sd);
    }
  }

  @Test
  void forksNamedByStringsWithEqualJavaHashCodesDiffer() {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    Rng root = new Rng(1);
    assertNotEquals(root.fork("Aa").nextDouble(), root.fork("BB").nextDouble());
  }
}
