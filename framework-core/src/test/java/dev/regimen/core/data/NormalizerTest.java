package dev.regimen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NormalizerTest {

  /** 3 features with different means and scales: N(5, 3), N(-100, 0.1), N(0, 40). */
  private static Dataset skewed(int n, long seed) {
    Rng rng = new Rng(seed);
    INDArray x = rng.normal(Tensor.defaultType(), 0, 1, n, 3)
        .mul(Nd4j.createFromArray(3f, 0.1f, 40f).reshape(1, 3))
        .add(Nd4j.createFromArray(5f, -100f, 0f).reshape(1, 3));
    return Dataset.regression(x, Nd4j.zeros(Tensor.defaultType(), n));
  }

  @Test
  void zscoreStandardizesTheTrainingDataButNotTheValidationData() {
    Dataset.Split split = skewed(1000, 1).split(0.3, new Rng(2));
    Normalizer zscore = Normalizer.zscore().fit(split.train());

    INDArray train = zscore.apply(split.train()).features().array();
    // Float32 rounding: the second feature is -100 +- 0.1, so an ulp of it is 1e-4 of its std.
    assertEquals(0, train.mean(0).amaxNumber().doubleValue(), 1e-4);
    assertArrayEquals(new double[] {1, 1, 1}, train.std(false, 0).toDoubleVector(), 1e-4);

    // The validation rows are scaled with the training statistics, so theirs are near 0 and 1 but not exactly.
    INDArray validation = zscore.apply(split.validation()).features().array();
    assertTrue(validation.mean(0).amaxNumber().doubleValue() > 1e-3);
    assertTrue(validation.mean(0).amaxNumber().doubleValue() < 0.3);
    INDArray fromTrain = validation.mul(zscore.state().get("std")).add(zscore.state().get("mean"));
    assertTrue(fromTrain.equalsWithEps(split.validation().features().array(), 1e-3));
    assertFalse(Normalizer.zscore().fit(split.validation()).state().get("mean")
        .equalsWithEps(zscore.state().get("mean"), 1e-3));
  }

  @Test
  void zscoreMakesAConstantFeatureZeroInsteadOfNaN() {
    INDArray x = Nd4j.createFromArray(new float[][] {{7, 1}, {7, 2}, {7, 3}});
    Normalizer zscore = Normalizer.zscore().fit(x);
    assertArrayEquals(new double[] {1, 0.8164966}, zscore.state().get("std").toDoubleVector(), 1e-6);
    assertArrayEquals(new double[] {0, 0, 0}, zscore.apply(x).getColumn(0).toDoubleVector());
  }

  @Test
  void minmaxMapsTheTrainingDataOntoTheUnitRange() {
    Dataset.Split split = skewed(500, 3).split(0.5, new Rng(4));
    Normalizer minmax = Normalizer.minmax().fit(split.train());
    INDArray train = minmax.apply(split.train().features().array());
    assertArrayEquals(new double[] {0, 0, 0}, train.min(0).toDoubleVector());
    assertArrayEquals(new double[] {1, 1, 1}, train.max(0).toDoubleVector(), 1e-6);
    // Validation data are not clipped: some fall outside the training range.
    INDArray validation = minmax.apply(split.validation().features().array());
    assertTrue(validation.minNumber().doubleValue() < 0 || validation.maxNumber().doubleValue() > 1);
  }

  @Test
  void imagesGetOneStatisticPerChannel() {
    // Channel c holds N(10 c, c + 1).
    INDArray images = new Rng(5).normal(Tensor.defaultType(), 0, 1, 64, 3, 5, 5)
        .mul(Nd4j.createFromArray(1f, 2f, 3f).reshape(1, 3, 1, 1))
        .add(Nd4j.createFromArray(0f, 10f, 20f).reshape(1, 3, 1, 1));
    Normalizer zscore = Normalizer.zscore().fit(images);
    INDArray mean = zscore.state().get("mean");
    assertArrayEquals(new long[] {1, 3, 1, 1}, mean.shape());
    float[] values = images.data().asFloat();
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      for (int i = 0; i < 64; i++) {
        for (int p = 0; p < 25; p++) {
          sum += values[(i * 3 + c) * 25 + p];
        }
      }
      assertEquals(sum / (64 * 25), mean.getDouble(0, c, 0, 0), 1e-4);
    }
    INDArray normalized = zscore.apply(images);
    INDArray perChannel = normalized.permute(1, 0, 2, 3).dup().reshape(3, 64 * 25);
    assertArrayEquals(new double[] {0, 0, 0}, perChannel.mean(1).toDoubleVector(), 1e-5);
    assertArrayEquals(new double[] {1, 1, 1}, perChannel.std(false, 1).toDoubleVector(), 1e-4);
  }

  @Test
  void stateRoundTripGivesTheSameTransform() {
    Dataset data = skewed(200, 6);
    for (Normalizer unfitted : new Normalizer[] {Normalizer.zscore(), Normalizer.minmax()}) {
      Normalizer fitted = unfitted.fit(data);
      Map<String, INDArray> state = fitted.state();
      Normalizer restored = Normalizer.restore(fitted.kind(), state);
      assertEquals(unfitted.kind(), restored.kind());
      assertEquals(fitted.apply(data.features().array()), restored.apply(data.features().array()));
      // The state is a copy: changing it does not change the normalizer.
      state.values().forEach(a -> a.addi(1));
      assertEquals(fitted.apply(data.features().array()), restored.apply(data.features().array()));
    }
    assertEquals("minmax", Normalizer.of("minmax").kind());
  }

  @Test
  void restoreRejectsAnUnknownKindOrMissingStatistics() {
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> Normalizer.restore("robust", Map.of()));
    assertEquals("Unknown normalizer 'robust'; known: zscore, minmax", kind.getMessage());
    DataException missing = assertThrows(DataException.class,
        () -> Normalizer.restore("zscore", Map.of("mean", Nd4j.zeros(1, 3))));
    assertEquals("A zscore normalizer's state needs 'mean' and 'std'; got [mean]", missing.getMessage());
  }

  @Test
  void refusesFeaturesOfAnotherShapeAndUseBeforeFitting() {
    Normalizer zscore = Normalizer.zscore().fit(skewed(50, 7));
    DataException e = assertThrows(DataException.class, () -> zscore.apply(Nd4j.zeros(4, 5)));
    assertEquals("This zscore normalizer was fitted on features of shape [N, 3]; it cannot apply to [4, 5]",
        e.getMessage());
    IllegalStateException unfitted = assertThrows(IllegalStateException.class,
        () -> Normalizer.minmax().apply(Nd4j.zeros(4, 5)));
    assertEquals("This minmax normalizer is not fitted: call fit(train) before apply", unfitted.getMessage());
  }

  @Test
  void keepsTheTargetsAndTheClasses() {
    Dataset digits = EmbeddedData.digits();
    Dataset scaled = Normalizer.minmax().fit(digits).apply(digits);
    assertEquals(10, scaled.numClasses());
    assertArrayEquals(digits.labels(), scaled.labels());
    assertEquals(1.0, scaled.features().array().maxNumber().doubleValue(), 1e-6);
  }
}
