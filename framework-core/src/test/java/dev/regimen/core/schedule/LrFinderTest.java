package dev.regimen.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.testkit.FakeControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class LrFinderTest {

  private static LrFinder make(Map<String, ?> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return (LrFinder) registry.create(ComponentKind.SCHEDULER, "lr_finder", options);
  }

  @Test
  void theRatesGrowGeometricallyOnePerStepAndTheTestStopsAfterItsSteps() {
    LrFinder finder = make(Map.of("min_lr", 1e-3, "max_lr", 1.0, "steps", 4));
    FakeControl c = new FakeControl();
    finder.onTrainStart(c);
    assertEquals(1e-3, c.learningRate, 1e-15);
    double[] next = {1e-2, 1e-1, 1.0};
    for (int t = 0; t < 3; t++) {
      c.setBatch(t, 2.0 - t * 0.1);
      finder.onBatchEnd(c);
      assertEquals(next[t], c.learningRate, 1e-12 * next[t]);
    }
    c.setBatch(3, 1.5);
    finder.onBatchEnd(c);
    assertTrue(c.stopReason().contains("took its 4 steps"), c.stopReason());
    assertEquals(List.of(2.0, 1.9, 1.8, 1.5), finder.losses());
  }

  @Test
  void aLossThatRunsAwayStopsTheTestAndTheSmoothingIsBiasCorrected() {
    LrFinder finder = make(Map.of("min_lr", 1e-3, "max_lr", 1.0, "steps", 50, "smoothing", 0.5, "diverge", 3.0));
    FakeControl c = new FakeControl();
    finder.onTrainStart(c);
    double[] losses = {1, 0.5, 0.4, 10};
    for (int t = 0; t < losses.length; t++) {
      c.setBatch(t, losses[t]);
      finder.onBatchEnd(c);
    }
    // s_1 = 0.5, corrected 1; s_2 = 0.5, corrected 0.5 / 0.75; s_3 = 0.45 / 0.875; s_4 = 5.225 / 0.9375
    List<Double> smoothed = finder.smoothed();
    assertEquals(1.0, smoothed.get(0), 1e-15);
    assertEquals(0.5 / 0.75, smoothed.get(1), 1e-15);
    assertEquals(5.225 / 0.9375, smoothed.get(3), 1e-12);
    assertTrue(c.stopReason().contains("diverged"), c.stopReason());
  }

  @Test
  void onTheDigitsTheCurveHasItsMinimumInsideTheRangeAndTheTestWritesItAndPutsTheWeightsBack(@TempDir Path dir)
      throws java.io.IOException {
    Dataset digits = EmbeddedData.digits();
    Dataset data = Dataset.classification(digits.features().array().div(16.0), digits.targets().array(),
        digits.numClasses());
    Layer model = Layers.build(Sequential.of(LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("relu"), LayerFactories.create("dense", Map.of("units", 10))), new long[] {64}, new Rng(2));
    List<INDArray> before = Layers.parameters(model).stream().map(p -> p.value().array().dup()).toList();
    LrFinder finder = make(Map.of("min_lr", 1e-4, "max_lr", 100.0, "steps", 120));
    TrainingResult result = new Trainer(TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Sgd(0.1, 0.9, false))
        .scheduler(finder)
        .epochs(5)
        .batchSize(32)
        .seed(3)
        .progress(false)
        .outputDir(dir)
        .build()).fit(model, data, null);

    List<Double> rates = finder.rates();
    int min = finder.argMin();
    assertTrue(min > 0 && min < rates.size() - 1, "the lowest smoothed loss is at step " + min + " of " + rates.size());
    assertTrue(finder.smoothed().get(0) > finder.smoothed().get(min) + 0.3, "the loss fell before it rose: "
        + finder.smoothed());
    double suggested = finder.suggestion();
    assertTrue(suggested > 1e-4 && suggested < rates.get(min), "suggested " + suggested + ", lowest loss at "
        + rates.get(min));
    assertEquals(suggested, result.history().last("lr_finder/suggested_lr").getAsDouble());
    assertTrue(result.stopReason().startsWith("lr_finder"), result.stopReason());

    assertTrue(Files.size(dir.resolve("plots/lr_finder_curve.png")) > 1000);
    List<String> csv = Files.readAllLines(dir.resolve("lr_finder.csv"));
    assertEquals("lr,loss,smoothed_loss", csv.get(0));
    assertEquals(rates.size() + 1, csv.size());
    List<Parameter> after = Layers.parameters(model);
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).ravel().toFloatVector(), after.get(i).value().array().ravel().toFloatVector(), 0f);
    }
  }

  @Test
  void badOptionsEchoTheValue() {
    ComponentException e = assertThrows(ComponentException.class, () -> make(Map.of("min_lr", 0)));
    assertTrue(e.getMessage().contains("min_lr=0.0"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make(Map.of("min_lr", 1.0, "max_lr", 0.5)));
    assertTrue(e.getMessage().contains("max_lr=0.5"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make(Map.of("name", "../x")));
    assertTrue(e.getMessage().contains("name='../x'"), e.getMessage());
  }
}
