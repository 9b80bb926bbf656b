package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.testkit.FakeControl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class EmaTest {
  private static final Dataset.Split DATA = Fixtures.digitsSplit();

  @Test
  void theAverageOfConstantWeightsIsThoseWeights() {
    Layer model = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(1));
    FakeControl control = new FakeControl().withModel(model);
    Ema ema = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.9, "warmup", true));
    ema.onTrainStart(control);
    for (int t = 0; t < 50; t++) {
      ema.onBatchEnd(control);
    }
    Map<String, INDArray> weights = ModelArrays.live(model);
    assertEquals(weights.keySet(), ema.average().keySet());
    weights.forEach((name, w) -> assertEquals(w, ema.average().get(name), name));
  }

  @Test
  void eachStepMovesTheAverageTowardsTheWeightsByOneMinusDecay() {
    Layer model = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(1));
    INDArray w = Layers.parameters(model).get(0).value().array();
    double w0 = w.getDouble(0);
    FakeControl control = new FakeControl().withModel(model);
    Ema ema = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.75));
    ema.onTrainStart(control);
    double expected = w0;
    for (double next : new double[] {1, -2, 0.5}) {
      w.putScalar(0, next);
      ema.onBatchEnd(control);
      expected = 0.75 * expected + 0.25 * next;
    }
    assertEquals(expected, ema.average().get(Layers.parameters(model).get(0).name()).getDouble(0), 1e-6);
    Ema warm = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.99, "warmup", true));
    assertEquals(2.0 / 11, warm.decayAt(1), 1e-15);
    assertEquals(0.99, warm.decayAt(10_000), 0);
  }

  @Test
  void validationSeesTheAverageTrainingGoesOnFromTheTrainedWeightsAndTheModelEndsWithTheAverage() {
    Layer plain = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2));
    TrainingResult without = new Trainer(config(List.of()).build()).fit(plain, DATA.train(), DATA.validation());

    Layer kept = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2));
    Ema evaluatingOnly = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.95, "swap_at_end", false));
    TrainingResult evaluated = new Trainer(config(List.of(evaluatingOnly)).build()).fit(kept, DATA.train(),
        DATA.validation());
    // Swapping the average in for validation and back leaves training exactly as it was.
    assertSameArrays(ModelArrays.live(plain), ModelArrays.live(kept));
    assertEquals(without.history().series("loss"), evaluated.history().series("loss"));
    assertNotEquals(without.history().series("val_loss"), evaluated.history().series("val_loss"));

    Layer swapped = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2));
    Ema ema = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.95));
    TrainingResult result = new Trainer(config(List.of(ema)).build()).fit(swapped, DATA.train(), DATA.validation());
    assertSameArrays(ema.average(), ModelArrays.live(swapped));
    // The last validation measured the model it leaves: the final average.
    double valLoss = Evaluation.evaluate(swapped, DATA.validation(), new SoftmaxCrossEntropy(), List.of(), 32)
        .get("loss");
    assertEquals(result.history().last("val_loss").getAsDouble(), valLoss, 1e-6);
    assertNotEquals(without.history().last("val_loss").getAsDouble(), valLoss, 1e-3);
  }

  @Test
  void aResumedRunAveragesOnBitForBit(@TempDir Path dir) {
    Layer straight = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2));
    Ema uninterrupted = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.9));
    new Trainer(config(List.of(uninterrupted)).build()).fit(straight, DATA.train(), DATA.validation());

    Trainer[] first = new Trainer[1];
    Scheduler interrupter = new Scheduler() {
      @Override
      public void onBatchEnd(TrainingControl control) {
        if (control.epoch() == 1 && control.batch() == 5) {
          first[0].interrupt();
        }
      }
    };
    first[0] = new Trainer(config(List.of(Fixtures.scheduler("ema", Map.of("decay", 0.9)), interrupter))
        .checkpointDir(dir).build());
    assertTrue(first[0].fit(Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2)), DATA.train(),
        DATA.validation()).interrupted());

    Layer resumedModel = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(2));
    Ema resumed = (Ema) Fixtures.scheduler("ema", Map.of("decay", 0.9));
    new Trainer(config(List.of(resumed)).checkpointDir(dir).resumeFrom(dir.resolve(Trainer.LAST)).build())
        .fit(resumedModel, DATA.train(), DATA.validation());
    assertSameArrays(uninterrupted.average(), resumed.average());
    assertSameArrays(ModelArrays.live(straight), ModelArrays.live(resumedModel));
  }

  // ------------------------------------------------------------------ helpers

  private static TrainerConfig.Builder config(List<Scheduler> schedulers) {
    TrainerConfig.Builder b = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(3e-3))
        .epochs(3)
        .batchSize(32)
        .seed(6)
        .progress(false);
    schedulers.forEach(b::scheduler);
    return b;
  }

  private static void assertSameArrays(Map<String, INDArray> expected, Map<String, INDArray> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, e) -> assertArrayEquals(e.ravel().toFloatVector(), actual.get(name).ravel().toFloatVector(),
        0f, name));
  }
}
