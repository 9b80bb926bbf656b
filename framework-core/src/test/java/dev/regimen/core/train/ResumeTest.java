package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.schedule.SchedulerFactories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted and resumed ends bit for bit where an uninterrupted run with the same seed ends. */
class ResumeTest {
  private static final Dataset.Split DATA = Synthetic.spirals(600, 3, 0.1, new Rng(4)).split(0.25, new Rng(5));
  private static final int EPOCHS = 4;

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  private static Scheduler scheduler(String name, Map<String, Object> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return registry.create(ComponentKind.SCHEDULER, name, options);
  }

  private static Scheduler stepSchedule() {
    return scheduler("lr.step", Map.of("step_size", 2, "gamma", 0.5));
  }

  /**
   * Early stopping that sees its only improvement in the first epoch (no later epoch gains 10), so
   * that it puts back the first epoch's weights when training ends, after {@code patience} more epochs
   * at the latest.
   */
  private static Scheduler earlyStoppingAtFirstEpoch(int patience) {
    return scheduler("early_stopping", Map.of("monitor", "val_loss", "patience", patience, "min_delta", 10.0));
  }

  private static TrainerConfig.Builder config() {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-2))
        .metric(new Accuracy())
        .scheduler(stepSchedule())
        .epochs(EPOCHS)
        .batchSize(32)
        .seed(77)
        .progress(false);
  }

  /** A scheduler that interrupts the trainer when the predicate on the global batch count holds. */
  private static Scheduler interruptWhen(Trainer[] trainer, IntPredicate atBatch) {
    return new Scheduler() {
      private int batches;

      @Override
      public void onBatchEnd(TrainingControl control) {
        if (atBatch.test(++batches)) {
          trainer[0].interrupt();
        }
      }
    };
  }

  private static void assertSameWeights(Layer expected, Layer actual) {
    List<Parameter> a = Layers.parameters(expected);
    List<Parameter> b = Layers.parameters(actual);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).value().array().ravel().toFloatVector(), b.get(i).value().array().ravel().toFloatVector(),
          0.0f, a.get(i).name());
    }
  }

  private TrainingResult uninterrupted(Layer model) {
    return new Trainer(config().build()).fit(model, DATA.train(), DATA.validation());
  }

  private void resumeAt(IntPredicate interruptAt, Path dir, Layer expected, TrainingResult expectedResult) {
    Trainer[] first = new Trainer[1];
    first[0] = new Trainer(config().checkpointDir(dir).scheduler(interruptWhen(first, interruptAt)).build());
    TrainingResult interrupted = first[0].fit(model(), DATA.train(), DATA.validation());
    assertTrue(interrupted.interrupted());

    Layer resumed = model();
    TrainingResult result = new Trainer(config().checkpointDir(dir).resumeFrom(dir.resolve(Trainer.LAST)).build())
        .fit(resumed, DATA.train(), DATA.validation());
    assertSameWeights(expected, resumed);
    assertEquals(expectedResult.history().series("val_loss"), result.history().series("val_loss"));
    assertEquals(expectedResult.history().series("lr"), result.history().series("lr"));
    // The running loss of an epoch cut in the middle carries over, so even that epoch's average matches.
    assertEquals(expectedResult.history().series("loss"), result.history().series("loss"));
    // So do the training metrics, whose counts the checkpoint keeps.
    assertEquals(expectedResult.history().series("accuracy"), result.history().series("accuracy"));
  }

  @Test
  void resumingAfterAnEpochEndsWithBitIdenticalWeights(@TempDir Path dir) {
    Layer expected = model();
    TrainingResult expectedResult = uninterrupted(expected);
    int batchesPerEpoch = (DATA.train().size() + 31) / 32;
    resumeAt(b -> b == 2 * batchesPerEpoch, dir, expected, expectedResult);
  }

  @Test
  void resumingInTheMiddleOfAnEpochEndsWithBitIdenticalWeights(@TempDir Path dir) {
    Layer expected = model();
    TrainingResult expectedResult = uninterrupted(expected);
    int batchesPerEpoch = (DATA.train().size() + 31) / 32;
    resumeAt(b -> b == batchesPerEpoch + 5, dir, expected, expectedResult);
  }

  @Test
  void checkpointsHoldWeightsOptimizerStateNormalizerAndHistory(@TempDir Path dir) {
    Normalizer normalizer = Normalizer.zscore().fit(DATA.train());
    new Trainer(config().epochs(2).checkpointDir(dir).normalizer(normalizer).build())
        .fit(model(), normalizer.apply(DATA.train()), normalizer.apply(DATA.validation()));
    assertTrue(Files.exists(dir.resolve("last").resolve(CheckpointStore.WEIGHTS_FILE)));
    assertTrue(Files.exists(dir.resolve("best").resolve(CheckpointStore.STATE_FILE)));
    Checkpoint last = CheckpointStore.load(dir.resolve("last"));
    assertEquals(2, last.state().epoch());
    assertEquals(2, last.state().history().size());
    assertTrue(last.arrays().containsKey("dense_1.weight"));
    assertTrue(last.arrays().containsKey("optimizer.dense_1.weight.m"));
    assertEquals("zscore", last.state().normalizer());
    assertEquals(normalizer.state().keySet(), last.normalizerArrays().keySet());
    assertEquals("sequential", last.state().modelConfig().get("type"));
  }

  @Test
  void resumingWithAnotherSeedIsRefused(@TempDir Path dir) {
    new Trainer(config().epochs(1).checkpointDir(dir).build()).fit(model(), DATA.train(), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
        config().seed(78).resumeFrom(dir.resolve("last")).build()).fit(model(), DATA.train(), null));
    assertTrue(e.getMessage().contains("was trained with seed 77, not 78"), e.getMessage());
  }

  @Test
  void earlyStoppingPutsBackItsBestWeightsAfterAResume(@TempDir Path dir) {
    Layer expected = model();
    TrainingResult expectedResult = new Trainer(config().scheduler(earlyStoppingAtFirstEpoch(10)).build())
        .fit(expected, DATA.train(), DATA.validation());
    int batchesPerEpoch = (DATA.train().size() + 31) / 32;

    Trainer[] first = new Trainer[1];
    first[0] = new Trainer(config().scheduler(earlyStoppingAtFirstEpoch(10)).checkpointDir(dir)
        .scheduler(interruptWhen(first, b -> b == 2 * batchesPerEpoch + 3)).build());
    assertTrue(first[0].fit(model(), DATA.train(), DATA.validation()).interrupted());
    Layer resumed = model();
    TrainingResult result = new Trainer(config().scheduler(earlyStoppingAtFirstEpoch(10)).checkpointDir(dir)
        .scheduler(interruptWhen(first, b -> false)).resumeFrom(dir.resolve(Trainer.LAST)).build())
        .fit(resumed, DATA.train(), DATA.validation());

    assertEquals(EPOCHS, result.history().epochs());
    assertSameWeights(expected, resumed);
    assertEquals(expectedResult.history().series("val_loss"), result.history().series("val_loss"));
  }

  @Test
  void aTrainingThatStoppedResumesAsStoppedWithTheWeightsItKept(@TempDir Path dir) {
    Layer expected = model();
    TrainingResult stopped = new Trainer(config().scheduler(earlyStoppingAtFirstEpoch(2)).checkpointDir(dir).build())
        .fit(expected, DATA.train(), DATA.validation());
    assertEquals(3, stopped.history().epochs(), "the first epoch, then two without improvement");
    assertTrue(stopped.stopReason().startsWith("early stopping"), stopped.stopReason());

    Layer resumed = model();
    TrainingResult result = new Trainer(config().scheduler(earlyStoppingAtFirstEpoch(2)).checkpointDir(dir)
        .resumeFrom(dir.resolve(Trainer.LAST)).build()).fit(resumed, DATA.train(), DATA.validation());
    assertEquals(stopped.stopReason(), result.stopReason());
    assertEquals(stopped.history().series("val_loss"), result.history().series("val_loss"));
    assertSameWeights(expected, resumed);
  }
}
