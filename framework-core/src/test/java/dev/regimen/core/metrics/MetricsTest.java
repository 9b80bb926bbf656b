package dev.regimen.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Metric;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class MetricsTest {
  private static final double EXACT = 1e-12;

  /** Scores of 4 samples over 4 classes; argmax per row: 3, 0, 1, 2. */
  private static final Tensor SCORES = Tensor.of(new float[] {
      0.1f, 0.2f, 0.3f, 0.4f,
      0.9f, 0.05f, 0.03f, 0.02f,
      0.2f, 0.5f, 0.1f, 0.2f,
      0.1f, 0.3f, 0.4f, 0.2f}, 4, 4);
  private static final Tensor LABELS = Tensor.of(new float[] {3, 0, 2, 3}, 4);

  /**
   * What a mid-epoch checkpoint keeps of a metric: a fresh metric loaded with the state after one batch
   * and given the next ends with exactly the value of one that saw both.
   */
  @Test
  void aMetricsStateCarriesItsCountsIntoAFreshMetric() {
    Tensor otherLabels = Tensor.of(new float[] {0, 1, 2, 2}, 4);
    Tensor values = Tensor.of(new float[] {0.3f, 0.1f, 0.2f, 0.5f, 0.0f, 0.9f, 0.4f, 0.8f, 0.1f, 0.2f, 0.7f, 0.6f,
        0.3f, 0.3f, 0.2f, 0.1f}, 4, 4);
    Map<Supplier<Metric>, Tensor[]> batches = Map.of(
        Accuracy::new, new Tensor[] {SCORES, LABELS, SCORES, otherLabels},
        () -> new TopKAccuracy(2), new Tensor[] {SCORES, LABELS, SCORES, otherLabels},
        MeanSquaredErrorMetric::new, new Tensor[] {SCORES, values, values, SCORES},
        MeanAbsoluteErrorMetric::new, new Tensor[] {SCORES, values, values, SCORES},
        R2Score::new, new Tensor[] {SCORES, values, values, SCORES});
    batches.forEach((make, b) -> {
      Metric whole = make.get();
      whole.update(b[0], b[1]);
      whole.update(b[2], b[3]);
      Metric before = make.get();
      before.update(b[0], b[1]);
      Metric resumed = make.get();
      resumed.loadState(before.state());
      resumed.update(b[2], b[3]);
      assertEquals(whole.value(), resumed.value(), 0.0, whole.name());
    });
  }

  // ---------------------------------------------------------------- accuracy

  @Test
  void accuracyComparesTheArgmaxWithLabels() {
    Metric accuracy = new Accuracy();
    accuracy.update(SCORES, LABELS);
    assertEquals(0.5, accuracy.value(), EXACT); // rows 0 and 1 right
    assertEquals("accuracy", accuracy.name());
    assertTrue(accuracy.higherIsBetter());
  }

  @Test
  void accuracyTakesTheArgmaxOfSoftTargets() {
    Tensor soft = Tensor.of(new float[] {
        0.05f, 0.05f, 0.1f, 0.8f,
        0.7f, 0.1f, 0.1f, 0.1f,
        0.1f, 0.1f, 0.7f, 0.1f,
        0.1f, 0.1f, 0.1f, 0.7f}, 4, 4);
    Metric accuracy = new Accuracy();
    accuracy.update(SCORES, soft);
    assertEquals(0.5, accuracy.value(), EXACT);
  }

  @Test
  void topKCountsTheTrueClassAmongTheKHighest() {
    // ranks of the true class (0 = highest): row 0: 0, row 1: 0, row 2 (class 2, 0.1): 3, row 3 (class 3, 0.2): 2
    assertEquals(0.5, evaluate(new TopKAccuracy(1), SCORES, LABELS), EXACT);
    assertEquals(0.5, evaluate(new TopKAccuracy(2), SCORES, LABELS), EXACT);
    assertEquals(0.75, evaluate(new TopKAccuracy(3), SCORES, LABELS), EXACT);
    assertEquals(1.0, evaluate(new TopKAccuracy(4), SCORES, LABELS), EXACT);
    assertEquals("top5_accuracy", new TopKAccuracy().name());
    assertEquals("top3_accuracy", new TopKAccuracy(3).name());
  }

  @Test
  void topKTakesTheArgmaxOfSoftTargets() {
    Tensor soft = Tensor.of(new float[] {0, 0, 0.2f, 0.8f, 0.1f, 0.1f, 0.8f, 0}, 2, 4);
    Tensor scores = rows(SCORES.array(), 2, 4); // [0.2, 0.5, 0.1, 0.2] and [0.1, 0.3, 0.4, 0.2]
    // row 2's argmax target is 3 (rank 1 among 0.2, 0.5, 0.1, 0.2 with a tie: 1 strictly higher); row 3's is 2 (rank 0)
    assertEquals(0.5, evaluate(new TopKAccuracy(1), scores, soft), EXACT);
    assertEquals(1.0, evaluate(new TopKAccuracy(2), scores, soft), EXACT);
  }

  @Test
  void accuracyRejectsLabelsOutsideTheClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Accuracy().update(SCORES, Tensor.of(new float[] {0, 1, 4, 2}, 4)));
    assertTrue(e.getMessage().contains("label 4 of sample 2"), e.getMessage());
  }

  @Test
  void accuracyNeedsAtLeastTwoClasses() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> new Accuracy().update(Tensor.zeros(3, 1), Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[3, 1]"), e.getMessage());
  }

  // -------------------------------------------------------------- regression

  @Test
  void regressionMetricsMatchHandComputedValues() {
    Tensor p = Tensor.of(new double[] {1, 2, 3, 4}, 4, 1);
    Tensor t = Tensor.of(new double[] {0, 2, 5, 3}, 4);
    // residuals 1, 0, -2, 1; mean(t) = 2.5, SS_tot = 6.25 + 0.25 + 6.25 + 0.25 = 13, SS_res = 6
    assertEquals(1.5, evaluate(new MeanSquaredErrorMetric(), p, t), EXACT);
    assertEquals(1.0, evaluate(new MeanAbsoluteErrorMetric(), p, t), EXACT);
    assertEquals(1 - 6.0 / 13, evaluate(new R2Score(), p, t), EXACT);
    assertFalse(new MeanSquaredErrorMetric().higherIsBetter());
    assertFalse(new MeanAbsoluteErrorMetric().higherIsBetter());
    assertTrue(new R2Score().higherIsBetter());
  }

  @Test
  void r2AveragesOverOutputColumns() {
    // column 0 as above (1 - 6/13); column 1 predicted exactly (1); column 2 constant and missed (0)
    Tensor p = Tensor.of(new double[] {1, 1, 7, 2, 2, 7, 3, 3, 7, 4, 4, 8}, 4, 3);
    Tensor t = Tensor.of(new double[] {0, 1, 7, 2, 2, 7, 5, 3, 7, 3, 4, 7}, 4, 3);
    assertEquals((1 - 6.0 / 13 + 1 + 0) / 3, evaluate(new R2Score(), p, t), EXACT);
  }

  @Test
  void resetForgetsEarlierBatches() {
    Metric mse = new MeanSquaredErrorMetric();
    mse.update(Tensor.of(new double[] {10}, 1), Tensor.of(new double[] {0}, 1));
    mse.reset();
    assertTrue(Double.isNaN(mse.value()));
    mse.update(Tensor.of(new double[] {1}, 1), Tensor.of(new double[] {0}, 1));
    assertEquals(1.0, mse.value(), EXACT);
  }

  @Test
  void regressionShapeMismatchNamesBothShapes() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> new MeanSquaredErrorMetric().update(Tensor.zeros(4, 2), Tensor.zeros(4, 3)));
    assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[4, 3]"), e.getMessage());
  }

  // ------------------------------------------- batches equal one big batch

  @Test
  void everyMetricOverBatchesEqualsTheMetricOverTheirUnion() {
    Rng rng = new Rng(3);
    INDArray scores = rng.normal(DataType.FLOAT, 0, 1, 20, 6);
    INDArray labels = rng.uniform(DataType.FLOAT, 0, 6, 20);
    labels = Transforms.floor(labels, false);
    INDArray predictions = rng.normal(DataType.FLOAT, 0, 1, 20, 2);
    INDArray targets = predictions.mul(0.8).addi(rng.normal(DataType.FLOAT, 5, 0.5, 20, 2));

    List<Supplier<Metric>> classification = List.of(Accuracy::new, () -> new TopKAccuracy(3));
    for (Supplier<Metric> make : classification) {
      assertBatchesEqualUnion(make, scores, labels);
    }
    List<Supplier<Metric>> regression = List.of(MeanSquaredErrorMetric::new, MeanAbsoluteErrorMetric::new, R2Score::new);
    for (Supplier<Metric> make : regression) {
      assertBatchesEqualUnion(make, predictions, targets);
    }
  }

  private static void assertBatchesEqualUnion(Supplier<Metric> make, INDArray outputs, INDArray targets) {
    Metric whole = make.get();
    whole.update(Tensor.of(outputs), Tensor.of(targets));
    Metric batched = make.get();
    int[] bounds = {0, 7, 8, 15, 20}; // uneven batches, one of a single sample
    for (int b = 0; b + 1 < bounds.length; b++) {
      batched.update(rows(outputs, bounds[b], bounds[b + 1]), rows(targets, bounds[b], bounds[b + 1]));
    }
    assertEquals(whole.value(), batched.value(), 1e-12, whole.name());
  }

  private static Tensor rows(INDArray a, int from, int to) {
    if (a.rank() == 1) {
      return Tensor.of(a.get(NDArrayIndex.interval(from, to)).dup());
    }
    return Tensor.of(a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
  }

  // --------------------------------------------------------------- factories

  @Test
  void listsEveryMetric() {
    assertEquals(List.of("accuracy", "top_k_accuracy", "mse", "mae", "r2"),
        MetricFactories.all().stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Metric> factory : MetricFactories.all()) {
      assertEquals(ComponentKind.METRIC, factory.kind());
    }
    assertEquals("top5_accuracy", factory("top_k_accuracy").create(Map.of()).name());
    assertEquals("top2_accuracy", factory("top_k_accuracy").create(Map.of("k", 2)).name());
    ComponentException e = assertThrows(ComponentException.class,
        () -> factory("top_k_accuracy").create(Map.of("k", 0)));
    assertTrue(e.getMessage().contains("k=0"), e.getMessage());
  }

  private static ComponentFactory<Metric> factory(String name) {
    return MetricFactories.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static double evaluate(Metric metric, Tensor output, Tensor target) {
    metric.reset();
    metric.update(output, target);
    return metric.value();
  }
}
