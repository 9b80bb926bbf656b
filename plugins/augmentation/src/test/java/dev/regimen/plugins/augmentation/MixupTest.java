package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MixupTest {

  @Test
  void mixesTwoOneHotTargetsAndTheirInputsWithAKnownLambda() {
    Batch batch = new Batch(Tensor.of(Components.array(new double[] {1, 2, 10, 20}, 2, 2)),
        Tensor.of(Nd4j.createFromArray(0f, 2f)), new int[] {5, 9});
    Batch mixed = Mixup.mix(batch, new double[] {0.7}, new int[] {1, 0}, 3);
    assertArrayEquals(new double[] {0.7, 0, 0.3, 0.3, 0, 0.7}, Components.values(mixed.targets().array()), 1e-12);
    // 0.7 [1, 2] + 0.3 [10, 20] and 0.7 [10, 20] + 0.3 [1, 2]
    assertArrayEquals(new double[] {3.7, 7.4, 7.3, 14.6}, Components.values(mixed.inputs().array()), 1e-12);
    assertArrayEquals(new int[] {5, 9}, mixed.indices(), "each row keeps the index of its main sample");
  }

  @Test
  void perSampleLambdasBlendEachRowWithItsOwnWeight() {
    Batch batch = new Batch(Tensor.of(Components.array(new double[] {0, 1}, 2, 1)),
        Tensor.of(Nd4j.createFromArray(0f, 1f)));
    Batch mixed = Mixup.mix(batch, new double[] {0.9, 0.6}, new int[] {1, 0}, 2);
    assertArrayEquals(new double[] {0.1, 0.6}, Components.values(mixed.inputs().array()), 1e-12);
    assertArrayEquals(new double[] {0.9, 0.1, 0.4, 0.6}, Components.values(mixed.targets().array()), 1e-12);
  }

  @Test
  void regressionTargetsAreMixedAsTheyAre() {
    Batch batch = new Batch(Tensor.of(Components.array(new double[] {0, 1}, 2, 1)),
        Tensor.of(Components.array(new double[] {10, 20}, 2, 1)));
    Batch mixed = Mixup.mix(batch, new double[] {0.25}, new int[] {1, 0}, 0);
    assertArrayEquals(new double[] {17.5, 12.5}, Components.values(mixed.targets().array()), 1e-12);
  }

  @Test
  void mixedImageBatchesKeepTheirShapeAndTargetsSumToOne() {
    Augmenter mixup = Components.create("mixup", Map.of("alpha", 1.0));
    for (long channels : new long[] {1, 3}) {
      Batch batch = Components.batch(Components.images(1, 16, channels, 4, 4), 10);
      Batch out = mixup.apply(batch, FakeAugmenterContext.seeded(3, 10));
      assertArrayEquals(batch.inputs().shape(), out.inputs().shape());
      assertArrayEquals(new long[] {16, 10}, out.targets().shape());
      INDArray sums = out.targets().array().sum(1);
      assertTrue(sums.equalsWithEps(Nd4j.onesLike(sums), 1e-6), sums.toString());
      assertTrue(out.inputs().array().minNumber().doubleValue() >= 0
          && out.inputs().array().maxNumber().doubleValue() <= 1);
      assertEquals(out.inputs().array(), mixup.apply(batch, FakeAugmenterContext.seeded(3, 10)).inputs().array());
      assertNotEquals(out.inputs().array(), mixup.apply(batch, FakeAugmenterContext.seeded(4, 10)).inputs().array());
    }
  }

  @Test
  void betaDrawsHaveTheMeanAndVarianceOfBetaAlphaAlpha() {
    for (double alpha : new double[] {0.2, 1.0, 4.0}) {
      Rng rng = new Rng(42);
      int n = 20000;
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double b = BetaDistribution.sample(rng, alpha, alpha);
        assertTrue(b >= 0 && b <= 1, "a draw in [0, 1]: " + b);
        sum += b;
        squares += b * b;
      }
      double mean = sum / n;
      double variance = squares / n - mean * mean;
      assertEquals(0.5, mean, 0.01, "alpha=" + alpha);
      assertEquals(1 / (4 * (2 * alpha + 1)), variance, 0.006, "alpha=" + alpha);
    }
  }
}
