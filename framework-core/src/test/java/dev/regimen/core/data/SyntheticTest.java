package dev.regimen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SyntheticTest {

  @Test
  void everyGeneratorIsReproducibleWithASeed() {
    LongFunction<?>[] generators = {
        seed -> Synthetic.twoMoons(50, 0.1, new Rng(seed)),
        seed -> Synthetic.spirals(60, 3, 0.1, new Rng(seed)),
        seed -> Synthetic.blobs(40, 4, 3, 1.0, new Rng(seed)),
        seed -> Synthetic.linearRegression(30, new double[] {1, 0, -2}, 0.1, new Rng(seed))};
    for (LongFunction<?> generator : generators) {
      Dataset a = (Dataset) generator.apply(11);
      Dataset b = (Dataset) generator.apply(11);
      Dataset c = (Dataset) generator.apply(12);
      assertEquals(a.features().array(), b.features().array());
      assertEquals(a.targets().array(), b.targets().array());
      assertNotEquals(a.features().array(), c.features().array());
      assertEquals(Tensor.defaultType(), a.features().dataType());
    }
  }

  @Test
  void twoMoonsWithoutNoiseLieOnTheirHalfCircles() {
    Dataset moons = Synthetic.twoMoons(101, 0, new Rng(1));
    assertArrayEquals(new long[] {101, 2}, moons.features().shape());
    assertEquals(2, moons.numClasses());
    assertArrayEquals(new int[] {51, 50}, counts(moons));
    INDArray x = moons.features().array();
    int[] labels = moons.labels();
    for (int i = 0; i < labels.length; i++) {
      double cx = labels[i] == 0 ? 0 : 1;
      double cy = labels[i] == 0 ? 0 : 0.5;
      double dx = x.getDouble(i, 0) - cx;
      double dy = x.getDouble(i, 1) - cy;
      assertEquals(1.0, Math.hypot(dx, dy), 1e-5);
      assertTrue(labels[i] == 0 ? dy >= -1e-6 : dy <= 1e-6);
    }
  }

  @Test
  void spiralsHaveBalancedArmsInsideTheUnitDisc() {
    Dataset spirals = Synthetic.spirals(301, 3, 0, new Rng(2));
    assertArrayEquals(new long[] {301, 2}, spirals.features().shape());
    assertEquals(3, spirals.numClasses());
    assertArrayEquals(new int[] {101, 100, 100}, counts(spirals));
    INDArray radius = Nd4j.math().sqrt(spirals.features().array().mul(spirals.features().array()).sum(1));
    assertTrue(radius.maxNumber().doubleValue() <= 1 + 1e-6);
  }

  @Test
  void blobsClusterAroundOneCentrePerClass() {
    Dataset blobs = Synthetic.blobs(400, 4, 5, 0.5, new Rng(3));
    assertArrayEquals(new long[] {400, 5}, blobs.features().shape());
    assertEquals(4, blobs.numClasses());
    assertArrayEquals(new int[] {100, 100, 100, 100}, counts(blobs));
    // Within a class the spread is the one asked for.
    for (int c = 0; c < 4; c++) {
      Dataset one = blobs.subset(rowsOf(blobs, c));
      double std = one.features().array().std(false, 0).meanNumber().doubleValue();
      assertEquals(0.5, std, 0.1);
    }
  }

  @Test
  void linearRegressionFollowsItsWeightsUpToTheNoise() {
    double[] weights = {2, 0, -1, 0};
    Dataset exact = Synthetic.linearRegression(200, weights, 0, new Rng(4));
    assertArrayEquals(new long[] {200, 4}, exact.features().shape());
    assertArrayEquals(new long[] {200, 1}, exact.targets().shape());
    assertEquals(0, exact.numClasses());
    INDArray w = Nd4j.createFromArray(weights).reshape(4, 1).castTo(Tensor.defaultType());
    assertTrue(exact.features().array().mmul(w).equalsWithEps(exact.targets().array(), 1e-5));

    Dataset noisy = Synthetic.linearRegression(5000, weights, 0.3, new Rng(4));
    INDArray residual = noisy.targets().array().sub(noisy.features().array().mmul(w));
    assertEquals(0.3, residual.stdNumber().doubleValue(), 0.02);
  }

  @Test
  void rejectsImpossibleArguments() {
    IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
        () -> Synthetic.spirals(10, 1, 0.1, new Rng(1)));
    assertTrue(classes.getMessage().contains("got classes=1"), classes.getMessage());
    IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
        () -> Synthetic.twoMoons(10, -0.1, new Rng(1)));
    assertEquals("noise must be a finite number >= 0; got noise=-0.1", noise.getMessage());
  }

  private static int[] counts(Dataset data) {
    int[] counts = new int[data.numClasses()];
    for (int label : data.labels()) {
      counts[label]++;
    }
    return counts;
  }

  private static int[] rowsOf(Dataset data, int label) {
    int[] labels = data.labels();
    return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
  }
}
