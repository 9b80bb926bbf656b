package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.train.History;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** What {@code robust_accuracy} records, under which name, and that it agrees with the clean accuracy at eps 0. */
class RobustAccuracyTest {
  private static History history;

  /** Four epochs on the digits in [0, 1] with attacks of eps 0, 0.1 and 0.3, one every second epoch. */
  @BeforeAll
  static void train() {
    Dataset.Split data = Components.digits01();
    history = fit(data.train(), data.validation(),
        Components.robustAccuracy(Map.of("eps", 0.0, "metric", "acc_eps0")),
        Components.robustAccuracy(Map.of("clip_min", 0.0, "clip_max", 1.0)),
        Components.robustAccuracy(Map.of("eps", 0.3, "clip_min", 0.0, "clip_max", 1.0, "metric", "acc_eps03")),
        Components.robustAccuracy(Map.of("every", 2, "metric", "every_second", "batch_size", 50, "clip_min", 0.0, "clip_max", 1.0)));
  }

  private static History fit(Dataset train, Dataset validation, Scheduler... schedulers) {
    TrainerConfig.Builder config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(3e-3))
        .metric(new Accuracy())
        .epochs(4).batchSize(64).seed(1).progress(false);
    List.of(schedulers).forEach(config::scheduler);
    return new Trainer(config.build()).fit(Components.reluMlp(32), train, validation).history();
  }

  @Test
  void recordsValRobustAccuracyOnValidationData() {
    assertTrue(history.metrics().contains("val_robust_accuracy"), history.metrics().toString());
    assertFalse(history.metrics().contains("robust_accuracy"), history.metrics().toString());
    assertEquals(4, history.series("val_robust_accuracy").stream().filter(v -> !v.isNaN()).count());
  }

  @Test
  void atEpsZeroItIsTheCleanValidationAccuracy() {
    assertEquals(history.series("val_accuracy"), history.series("val_acc_eps0"));
  }

  @Test
  void aLargerAttackLeavesFewerRight() {
    for (int e = 0; e < 4; e++) {
      double clean = history.epoch(e).get("val_accuracy");
      double small = history.epoch(e).get("val_robust_accuracy");
      double large = history.epoch(e).get("val_acc_eps03");
      assertTrue(small < clean && large < small, "epoch " + e + ": " + clean + " > " + small + " > " + large);
    }
  }

  @Test
  void everyChoosesTheEpochsAndBatchSizeDoesNotChangeTheValue() {
    List<Double> series = history.series("val_every_second");
    assertTrue(series.get(0).isNaN() && series.get(2).isNaN(), series.toString());
    assertEquals(history.epoch(1).get("val_robust_accuracy"), series.get(1), 1e-12);
    assertEquals(history.epoch(3).get("val_robust_accuracy"), series.get(3), 1e-12);
  }

  @Test
  void withoutValidationDataItAttacksTheTrainingSetUnderTheTrainingName() {
    History h = fit(Components.gaussian(300, 5, 3, 4), null,
        Components.robustAccuracy(Map.of("eps", 0.0)), Components.robustAccuracy(Map.of("eps", 0.5, "metric", "r05")));
    assertTrue(h.metrics().contains("robust_accuracy"), h.metrics().toString());
    assertFalse(h.metrics().contains("val_robust_accuracy"));
    // At eps 0 it is the end-of-epoch accuracy on the whole training set, in evaluation mode.
    double clean = h.last("robust_accuracy").orElseThrow();
    assertTrue(clean > 0.5, "better than chance after 4 epochs: " + clean);
    assertTrue(h.last("r05").orElseThrow() < clean);
  }

  @Test
  void softTargetsCountTheirArgMaxAsTheClass() {
    var output = Nd4j.createFromArray(new double[][] {{2, 1, 0}, {0, 1, 2}, {0, 3, 1}});
    var soft = Nd4j.createFromArray(new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.7, 0.2}});
    assertEquals(2, RobustAccuracy.countCorrect(output, soft));
    assertEquals(2, RobustAccuracy.countCorrect(output, Nd4j.createFromArray(new double[] {0, 1, 1})));
  }

  @Test
  void namesItsMetrics() {
    RobustAccuracy r = Components.robustAccuracy(Map.of("metric", "fgsm_acc"));
    assertEquals("val_fgsm_acc", r.validationMetric());
    assertEquals("fgsm_acc", r.trainingMetric());
  }
}
