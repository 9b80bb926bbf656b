package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class LabelSmoothingTest {

  private static Batch labels(float... labels) {
    return new Batch(Tensor.of(Nd4j.zeros(DataType.DOUBLE, labels.length, 2)), Tensor.of(Nd4j.createFromArray(labels)));
  }

  private static double[] smooth(double epsilon, Batch batch, int classes) {
    Augmenter smoothing = Components.create("label_smoothing", Map.of("epsilon", epsilon));
    Batch out = smoothing.apply(batch, FakeAugmenterContext.seeded(1, classes));
    assertSame(batch.inputs(), out.inputs(), "the inputs are not touched");
    return Components.values(out.targets().array());
  }

  @Test
  void givesOneMinusEpsilonToTheTrueClassAndEpsilonOverKMinusOneToEachOtherForFourClasses() {
    double third = 0.1 / 3;
    assertArrayEquals(new double[] {
        0.9, third, third, third,
        third, third, third, 0.9}, smooth(0.1, labels(0, 3), 4), 1e-12);
  }

  @Test
  void smoothsSoftTargetsSoTheyStillSumToOne() {
    Batch soft = new Batch(Tensor.of(Nd4j.zeros(DataType.DOUBLE, 1, 2)),
        Tensor.of(Components.array(new double[] {0.5, 0.5, 0, 0}, 1, 4)));
    // (1 - 0.3) t + 0.3 (1 - t) / 3
    assertArrayEquals(new double[] {0.4, 0.4, 0.1, 0.1}, smooth(0.3, soft, 4), 1e-12);
  }

  @Test
  void theLargestEpsilonGivesTheUniformDistributionAndAboveItIsRefused() {
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, smooth(0.75, labels(2), 4), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smooth(0.8, labels(2), 4));
    assertTrue(e.getMessage().contains("epsilon=0.8") && e.getMessage().contains("0.75"), e.getMessage());
  }

  @Test
  void regressionTargetsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smooth(0.1, labels(1), 0));
    assertTrue(e.getMessage().contains("label_smoothing") && e.getMessage().contains("0 classes"), e.getMessage());
  }

  @Test
  void aLabelOutsideTheClassesIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> smooth(0.1, labels(1, 4), 4));
    assertTrue(e.getMessage().contains("label 4.0 of sample 1"), e.getMessage());
  }
}
