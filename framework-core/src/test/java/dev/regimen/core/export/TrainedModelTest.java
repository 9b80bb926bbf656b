package dev.regimen.core.export;

import static dev.regimen.core.export.ExportFixtures.digits;
import static dev.regimen.core.export.ExportFixtures.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedModelTest {
  @TempDir Path dir;

  private Path trainInto(Path checkpoints) {
    ExportFixtures.train(Sequential.of(layer("dense", "units", 4), layer("dense", "units", 10)), digits(), checkpoints);
    return checkpoints;
  }

  @Test
  void aRunFolderNamesItsTrainingsBestCheckpoint() throws Exception {
    Path training = trainInto(dir.resolve("checkpoints/train-1"));
    Path best = training.resolve(Trainer.BEST);
    assertEquals(best, TrainedModel.checkpointOf(dir));
    assertEquals(best, TrainedModel.checkpointOf(dir.resolve("checkpoints")));
    assertEquals(best, TrainedModel.checkpointOf(training));
    Path last = training.resolve(Trainer.LAST);
    assertEquals(last, TrainedModel.checkpointOf(last), "a checkpoint folder is itself");
    assertArrayEquals(new long[] {64}, ExportFixtures.load(dir).inputShape());
  }

  @Test
  void severalTrainingsOrNoneAreExplained() throws Exception {
    ExportException none = assertThrows(ExportException.class, () -> TrainedModel.checkpointOf(dir));
    assertTrue(none.getMessage().startsWith("No checkpoint in " + dir + ": a run folder holds checkpoints/"),
        none.getMessage());
    trainInto(dir.resolve("checkpoints/student"));
    trainInto(dir.resolve("checkpoints/teacher"));
    ExportException two = assertThrows(ExportException.class, () -> TrainedModel.checkpointOf(dir));
    assertEquals("The run folder " + dir + " holds checkpoints of 2 trainings (student, teacher); name one, e.g. "
        + dir.resolve("checkpoints/student/best"), two.getMessage());
    ExportException missing = assertThrows(ExportException.class,
        () -> TrainedModel.checkpointOf(dir.resolve("nothing")));
    assertEquals("No run folder or checkpoint at " + dir.resolve("nothing"), missing.getMessage());
  }

  @Test
  void aCheckpointWithoutItsInputShapeTakesOneGivenOrSaysHow() throws Exception {
    Path last = trainInto(dir.resolve("checkpoints")).resolve(Trainer.LAST);
    Checkpoint saved = CheckpointStore.load(last);
    Map<String, Object> extra = new LinkedHashMap<>(saved.state().extra());
    extra.remove(Trainer.INPUT_SHAPE);
    Path old = dir.resolve("old");
    CheckpointState s = saved.state();
    CheckpointStore.save(old, saved.arrays(), new CheckpointState(s.formatVersion(), s.modelConfig(), s.optimizer(),
        s.optimizerStep(), s.learningRate(), s.epoch(), s.batchInEpoch(), s.seed(), s.rngPosition(), s.schedulers(),
        s.normalizer(), s.history(), extra));

    ExportException e = assertThrows(ExportException.class,
        () -> TrainedModel.load(old, LayerFactories::factory, null));
    assertEquals("The checkpoint " + old + " does not record the input shape its model was trained on (it was saved"
        + " by an earlier Regimen); give it: --input-shape 64 for 64 features, --input-shape 1,28,28 for 28x28 grey"
        + " images", e.getMessage());
    assertArrayEquals(new long[] {10}, TrainedModel.load(old, LayerFactories::factory, new long[] {64}).outputShape());
    ExportException wrong = assertThrows(ExportException.class,
        () -> TrainedModel.load(old, LayerFactories::factory, new long[] {5}));
    assertTrue(wrong.getMessage().startsWith("The model of " + old + " does not take per-sample input [5]"
        + " (--input-shape): "), wrong.getMessage());
    assertTrue(Files.isDirectory(old));
  }
}
