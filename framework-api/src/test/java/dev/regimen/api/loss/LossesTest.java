package dev.regimen.api.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
  private static final double EXACT = 1e-12;

  private final Rng rng = new Rng(20260101L);

  // ------------------------------------------------------- hand-computed values

  @Test
  void regressionLossesMatchHandComputedValues() {
    // residuals 1, 0, -2, 1
    Tensor p = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor t = Tensor.of(new double[] {0, 2, 5, 3}, 2, 2);
    assertEquals(6.0 / 4, Losses.mse(p, t).item(), EXACT);
    assertEquals(4.0 / 4, Losses.mae(p, t).item(), EXACT);
    // delta 1: 0.5, 0, 1 * (2 - 0.5), 0.5; delta 2: the residual -2 is still quadratic, 0.5 * 4
    assertEquals(2.5 / 4, Losses.huber(p, t, 1.0).item(), EXACT);
    assertEquals(3.0 / 4, Losses.huber(p, t, 2.0).item(), EXACT);
  }

  @Test
  void softmaxCrossEntropyMatchesHandComputedValues() {
    Tensor logits = Tensor.of(new double[] {1, 2, 3, 1, 1, 1}, 2, 3);
    // row 0: logsumexp(1, 2, 3) - 3 = log(1 + e^-1 + e^-2); row 1: log 3
    double row0 = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    double row1 = Math.log(3);
    assertEquals(0.7531091265562453, (row0 + row1) / 2, EXACT);
    assertEquals(0.7531091265562453, Losses.softmaxCrossEntropy(logits, labels(2, 0)).item(), EXACT);
    Tensor soft = Tensor.of(new double[] {0.2, 0.3, 0.5, 0.5, 0.25, 0.25}, 2, 3);
    assertEquals(1.1031091265562454, Losses.softmaxCrossEntropy(logits, soft).item(), EXACT);
  }

  @Test
  void labelsAsAColumnEqualLabelsAsAVector() {
    Tensor logits = Tensor.of(new double[] {1, 2, 3, 1, 1, 1}, 2, 3);
    Tensor column = Tensor.of(new float[] {2, 0}, 2, 1);
    assertEquals(0.7531091265562453, Losses.softmaxCrossEntropy(logits, column).item(), EXACT);
  }

  @Test
  void binaryCrossEntropyMatchesHandComputedValues() {
    Tensor logits = Tensor.of(new double[] {0, 2, -3, 0.5}, 4, 1);
    Tensor targets = Tensor.of(new double[] {1, 0, 0.5, 1}, 4);
    double expected = 0;
    double[] x = {0, 2, -3, 0.5};
    double[] y = {1, 0, 0.5, 1};
    for (int i = 0; i < 4; i++) {
      double sigmoid = 1 / (1 + Math.exp(-x[i]));
      expected -= y[i] * Math.log(sigmoid) + (1 - y[i]) * Math.log(1 - sigmoid);
    }
    assertEquals(1.2106848818391915, expected / 4, 1e-15);
    assertEquals(1.2106848818391915, Losses.binaryCrossEntropy(logits, targets).item(), EXACT);
  }

  // ----------------------------------------------------------- gradient checks

  @Test
  void regressionLossesPassGradientChecks() {
    check(in -> Losses.mse(in.get(0), in.get(1)), gaussian(1.0, 3, 4), gaussian(1.0, 3, 4));
    check(in -> Losses.mae(in.get(0), in.get(1)), gaussian(1.0, 3, 4), gaussian(1.0, 3, 4));
    check(in -> Losses.huber(in.get(0), in.get(1), 1.0), gaussian(2.0, 3, 4), gaussian(1.0, 3, 4));
    check(in -> Losses.huber(in.get(0), in.get(1), 0.5), gaussian(1.0, 5, 1), gaussian(1.0, 5));
  }

  @Test
  void softmaxCrossEntropyPassesGradientChecksWithHardTargets() {
    Tensor labels = labels(0, 3, 1, 3, 2);
    check(in -> Losses.softmaxCrossEntropy(in.get(0), labels), gaussian(3.0, 5, 4));
  }

  @Test
  void softmaxCrossEntropyPassesGradientChecksWithSoftTargets() {
    Tensor distributions = Tensor.parameter(Tensor.of(rng.normal(DataType.DOUBLE, 0, 1, 5, 4)).softmax(1).array());
    check(in -> Losses.softmaxCrossEntropy(in.get(0), in.get(1)), gaussian(3.0, 5, 4), distributions);
  }

  @Test
  void binaryCrossEntropyPassesGradientChecks() {
    Tensor targets = Tensor.parameter(rng.uniform(DataType.DOUBLE, 0.1, 0.9, 6, 2));
    check(in -> Losses.binaryCrossEntropy(in.get(0), in.get(1)), gaussian(4.0, 6, 2), targets);
    Tensor hard = Tensor.of(rng.bernoulli(DataType.DOUBLE, 0.5, 6, 2));
    check(in -> Losses.binaryCrossEntropy(in.get(0), hard), gaussian(4.0, 6, 2));
  }

  @Test
  void binaryCrossEntropyHasTheExactGradientAtZero() {
    Tensor logits = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 2));
    Losses.binaryCrossEntropy(logits, Tensor.of(new double[] {1, 0}, 2)).backward();
    // (sigmoid(0) - y) / N
    assertArrayEquals(new double[] {-0.25, 0.25}, logits.grad().toDoubleVector(), EXACT);
  }

  // ----------------------------------------------------------------- stability

  @Test
  void softmaxCrossEntropyIsFiniteForHugeLogits() {
    Tensor logits = Tensor.parameter(Nd4j.createFromArray(new float[][] {{1000, -1000, 0}, {-1000, 1000, 0}}));
    Tensor loss = Losses.softmaxCrossEntropy(logits, labels(1, 1));
    // row 0 costs 2000 (the label's logit is 2000 below the top one), row 1 nothing
    assertEquals(1000.0, loss.item(), 1e-3);
    loss.backward();
    // (softmax - onehot) / N
    assertArrayEquals(new float[] {0.5f, -0.5f, 0, 0, 0, 0}, logits.grad().reshape(6).toFloatVector(), 1e-6f);
  }

  @Test
  void softmaxCrossEntropyWithSoftTargetsIsFiniteForHugeLogits() {
    Tensor logits = Tensor.parameter(Nd4j.createFromArray(new float[][] {{1000, -1000}, {-1000, 1000}}));
    Tensor soft = Tensor.of(new float[] {0.5f, 0.5f, 0, 1}, 2, 2);
    Tensor loss = Losses.softmaxCrossEntropy(logits, soft);
    assertEquals(500.0, loss.item(), 1e-3);
    loss.backward();
    assertAllFinite(logits.grad());
  }

  @Test
  void binaryCrossEntropyIsFiniteForHugeLogits() {
    Tensor logits = Tensor.parameter(Nd4j.createFromArray(1000f, -1000f, 1000f, -1000f));
    Tensor loss = Losses.binaryCrossEntropy(logits, Tensor.of(new float[] {0, 1, 1, 0}, 4));
    // the first two are wrong by 1000 each, the last two right
    assertEquals(500.0, loss.item(), 1e-3);
    loss.backward();
    assertArrayEquals(new float[] {0.25f, -0.25f, 0, 0}, logits.grad().toFloatVector(), 1e-7f);
  }

  // ------------------------------------------------------ hard and soft agree

  @Test
  void oneHotSoftTargetsGiveTheHardLabelLossAndGradient() {
    INDArray z = rng.normal(DataType.DOUBLE, 0, 2, 6, 5);
    Tensor labels = labels(4, 0, 2, 2, 1, 3);
    Tensor oneHot = Tensor.of(Nd4j.eye(5).castTo(DataType.DOUBLE).getRows(4, 0, 2, 2, 1, 3));

    Tensor hardLogits = Tensor.parameter(z.dup());
    Tensor hard = Losses.softmaxCrossEntropy(hardLogits, labels);
    hard.backward();
    Tensor softLogits = Tensor.parameter(z.dup());
    Tensor soft = Losses.softmaxCrossEntropy(softLogits, oneHot);
    soft.backward();

    assertEquals(hard.item(), soft.item(), EXACT);
    assertArrayEquals(hardLogits.grad().reshape(30).toDoubleVector(), softLogits.grad().reshape(30).toDoubleVector(),
        EXACT);
  }

  // -------------------------------------------------------------------- errors

  @Test
  void shapeMismatchNamesBothShapes() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> Losses.mse(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());

    e = assertThrows(ShapeException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
    assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());

    e = assertThrows(ShapeException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(4, 3), Tensor.zeros(5)));
    assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[5]"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassesIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(3, 4), labels(0, 4, 1)));
    assertTrue(e.getMessage().contains("label 4 of sample 1") && e.getMessage().contains("[0, 4)"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 4), Tensor.of(new float[] {-1, 0}, 2)));
    assertTrue(e.getMessage().contains("label -1 of sample 0"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 4), Tensor.of(new float[] {0, 1.5f}, 2)));
    assertTrue(e.getMessage().contains("label 1.5"), e.getMessage());
  }

  @Test
  void aLabelBeyondTheOutputsOrAFractionalLabelSaysWhy() {
    IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(3, 4), labels(0, 7, 1)));
    assertEquals("softmax_cross_entropy: label 7 of sample 1 is not a class index in [0, 4): the scores have 4 "
        + "columns, one per class; give the model's last layer as many units as the data has classes",
        beyond.getMessage());
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 4), Tensor.of(new double[] {0.37, 1}, 2, 1)));
    assertEquals("softmax_cross_entropy: label 0.37 of sample 0 is not a class index in [0, 4): class labels are "
        + "whole numbers; real-valued targets call for a regression loss such as mse", fraction.getMessage());
  }

  @Test
  void oneOutputColumnIsRefusedWhateverTheTargets() {
    // Softmax over one column is 1: the loss would be 0 for real values, distributions and labels alike.
    for (Tensor targets : List.of(Tensor.of(new double[] {0.3, -1.2, 2.5}, 3, 1), labels(0, 0, 0))) {
      ShapeException e = assertThrows(ShapeException.class,
          () -> Losses.softmaxCrossEntropy(Tensor.zeros(3, 1), targets));
      assertEquals("softmax_cross_entropy: the model's output has 1 column (scores of shape [3, 1]): softmax over "
          + "one class is always 1, so the loss would be 0 whatever the targets. A classifier needs one output "
          + "column per class (2 or more); for one real-valued target use mse, for one 0/1 target "
          + "binary_cross_entropy", e.getMessage());
    }
  }

  @Test
  void targetRowsThatAreNotDistributionsAreRefusedNamingTheRow() {
    Tensor logits = Tensor.zeros(3, 3);
    IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(
        logits, Tensor.of(new double[] {0.2, 0.3, 0.5, 1.5, 2.0, 0.0, 0, 0, 1}, 3, 3)));
    assertEquals("softmax_cross_entropy: target rows [3, 3] must be distributions over the 3 classes (non-negative, "
        + "summing to 1), or the targets class labels [3]; row 1 is [1.5, 2, 0], summing to 3.5", sum.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropy(
        logits, Tensor.of(new double[] {1.5, -0.5, 0, 0, 1, 0, 0, 0, 1}, 3, 3)));
    assertTrue(negative.getMessage().endsWith("row 0 is [1.5, -0.5, 0], with the negative entry -0.5"),
        negative.getMessage());
    // Rounding in float32 (a teacher's softmax, smoothed labels) stays well inside the tolerance.
    Tensor rounded = Tensor.of(new float[] {0.33333334f, 0.33333334f, 0.33333334f, 0.1f, 0.1f, 0.8000001f, 0, 0, 1}, 3,
        3);
    assertEquals(Math.log(3), Losses.softmaxCrossEntropy(logits, rounded).item(), 1e-6);
  }

  @Test
  void oneTargetPerSampleAgainstSeveralOutputsPointsToTheClassificationLoss() {
    ShapeException e = assertThrows(ShapeException.class, () -> Losses.mse(Tensor.zeros(4, 10), labels(1, 2, 3, 4)));
    assertEquals("mse: predictions of shape [4, 10] and targets of shape [4] do not match; one target per sample "
        + "against 10 outputs looks like class labels, whose loss is softmax_cross_entropy", e.getMessage());
  }

  @Test
  void binaryTargetOutsideTheUnitIntervalIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.binaryCrossEntropy(Tensor.zeros(3), Tensor.of(new float[] {0, 1, 2}, 3)));
    assertTrue(e.getMessage().contains("2.0 at element 2"), e.getMessage());
  }

  @Test
  void rejectsANonPositiveHuberDelta() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.huber(Tensor.zeros(2), Tensor.zeros(2), 0));
    assertTrue(e.getMessage().contains("delta=0.0"), e.getMessage());
  }

  // ------------------------------------------------------------------- helpers

  private static Tensor labels(float... values) {
    return Tensor.of(values, values.length);
  }

  private Tensor gaussian(double std, long... shape) {
    return Tensor.parameter(rng.normal(DataType.DOUBLE, 0, std, shape));
  }

  private void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
    GradientCheck.Result result = GradientCheck.defaults().check(f, List.of(inputs), rng);
    assertTrue(result.passed(), result.toString());
  }

  private static void assertAllFinite(INDArray a) {
    for (double v : a.reshape(a.length()).toDoubleVector()) {
      assertTrue(Double.isFinite(v), "not finite: " + a);
    }
  }
}
