package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoints a training keeps: the best k, periodic ones, one on an error; the rest pruned. */
class CheckpointPolicyTest {
  /** 320 samples: 10 steps an epoch in batches of 32. */
  private static final Dataset DATA = Synthetic.spirals(320, 3, 0.1, new Rng(4));

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 16)),
        LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  private static TrainerConfig.Builder config(int epochs, CheckpointPolicy policy, Path dir) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-2))
        .epochs(epochs)
        .batchSize(32)
        .seed(3)
        .progress(false)
        .checkpointDir(dir)
        .checkpointPolicy(policy);
  }

  private static List<String> folders(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theBestKEpochsByTheMonitorAreKeptAndTheOthersPruned(@TempDir Path dir) throws IOException {
    double[] scores = {5, 3, 4, 1, 2};
    Scheduler score = new Scheduler() {
      @Override
      public void onEpochEnd(TrainingControl control) {
        control.record("fake_loss", scores[control.epoch()]);
      }
    };
    new Trainer(config(5, new CheckpointPolicy(2, 0, 0, 3, true), dir).scheduler(score).monitor("fake_loss").build())
        .fit(model(), DATA, null);

    assertEquals(List.of("best", "last", "top"), folders(dir));
    assertEquals(List.of("epoch-4", "epoch-5"), folders(dir.resolve(Trainer.TOP)), "the scores 1 and 2");
    assertEquals(4, CheckpointStore.load(dir.resolve(Trainer.BEST)).state().epoch());
    assertEquals(5, CheckpointStore.load(dir.resolve(Trainer.TOP).resolve("epoch-5")).state().epoch());
  }

  @Test
  void periodicCheckpointsEveryNStepsKeepTheNewestAndResumeBitForBit(@TempDir Path dir) throws IOException {
    Layer straight = model();
    new Trainer(config(2, new CheckpointPolicy(1, 3, 0, 2, true), dir).build()).fit(straight, DATA, null);
    assertEquals(List.of("step-15", "step-18"), folders(dir.resolve(Trainer.PERIODIC)));
    assertEquals(5, CheckpointStore.load(dir.resolve(Trainer.PERIODIC).resolve("step-15")).state().batchInEpoch());

    Layer resumed = model();
    new Trainer(config(2, CheckpointPolicy.DEFAULT, null).resumeFrom(dir.resolve(Trainer.PERIODIC).resolve("step-15"))
        .build()).fit(resumed, DATA, null);
    List<Parameter> want = Layers.parameters(straight);
    List<Parameter> got = Layers.parameters(resumed);
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).value().array().ravel().toFloatVector(),
          got.get(i).value().array().ravel().toFloatVector(), 0f, want.get(i).name());
    }
  }

  @Test
  void periodicCheckpointsByTimeAreWrittenAndPruned(@TempDir Path dir) throws IOException {
    // A period far below one step's time: a checkpoint after every step, the newest one kept.
    new Trainer(config(2, new CheckpointPolicy(1, 0, 1e-9, 1, true), dir).build()).fit(model(), DATA, null);
    assertEquals(List.of("step-20"), folders(dir.resolve(Trainer.PERIODIC)));
  }

  /** Blows the last layer's weights up after the third step of the second epoch: the next loss is NaN. */
  private static Scheduler overflow() {
    return new Scheduler() {
      @Override
      @SuppressWarnings("try")
      public void onBatchEnd(TrainingControl control) {
        if (control.epoch() == 1 && control.batch() == 2) {
          try (Tensor.GradScope ignored = Tensor.noGrad()) {
            Layers.parameters(control.model()).get(2).value().array().muli(Float.MAX_VALUE).muli(10);
          }
        }
      }
    };
  }

  @Test
  void aFailureWritesTheErrorCheckpointUnlessThePolicySaysNo(@TempDir Path dir) throws IOException {
    Path with = dir.resolve("with");
    assertThrows(TrainingException.class, () -> new Trainer(config(3, CheckpointPolicy.DEFAULT, with)
        .scheduler(overflow()).build()).fit(model(), DATA, null));
    assertEquals(List.of("best", "error", "last"), folders(with));
    var error = CheckpointStore.load(with.resolve(Trainer.ERROR)).state();
    assertTrue(String.valueOf(error.extra().get(Trainer.ERROR)).startsWith("The loss became NaN at epoch 2, batch 4"),
        String.valueOf(error.extra().get(Trainer.ERROR)));
    assertEquals(1, error.epoch());
    assertEquals(3, error.batchInEpoch(), "the three steps made before the failed one");
    assertEquals(1, CheckpointStore.load(with.resolve(Trainer.LAST)).state().epoch());

    Path without = dir.resolve("without");
    assertThrows(TrainingException.class, () -> new Trainer(config(3, new CheckpointPolicy(1, 0, 0, 3, false), without)
        .scheduler(overflow()).build()).fit(model(), DATA, null));
    assertFalse(Files.exists(without.resolve(Trainer.ERROR)));
  }

  @Test
  void badValuesAreEchoed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CheckpointPolicy(-1, 0, 0, 3, true));
    assertTrue(e.getMessage().contains("keep_best=-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, 0, -2, 3, true));
    assertTrue(e.getMessage().contains("every_minutes=-2.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, 0, 0, 0, true));
    assertTrue(e.getMessage().contains("keep_periodic=0"), e.getMessage());
  }
}
