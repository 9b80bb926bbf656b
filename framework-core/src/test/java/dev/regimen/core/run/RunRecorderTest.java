package dev.regimen.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.History;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.proto.ProtoWriter;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {
  private static Dataset train;
  private static Dataset validation;

  @TempDir Path root;

  @BeforeAll
  static void data() {
    Dataset.Split split = Synthetic.twoMoons(240, 0.1, new Rng(3)).split(0.25, new Rng(4));
    train = split.train();
    validation = split.validation();
  }

  static Layer mlp() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 16)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 2)));
  }

  static TrainerConfig.Builder config(int epochs) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(0.02))
        .metric(new Accuracy())
        .epochs(epochs)
        .batchSize(32)
        .seed(1)
        .progress(false);
  }

  /** Reads the files as a scheduler placed after the recorder sees them at the end of each epoch. */
  private static final class Snooper implements Scheduler {
    final Path csv;
    final Path json;
    final List<String> csvAtEpochEnd = new ArrayList<>();
    final List<Integer> jsonEpochsAtEpochEnd = new ArrayList<>();

    Snooper(Path csv, Path json) {
      this.csv = csv;
      this.json = json;
    }

    @Override
    public void onEpochEnd(TrainingControl control) {
      try {
        csvAtEpochEnd.add(Files.readString(csv));
        jsonEpochsAtEpochEnd.add(HistoryFiles.readHistory(json).epochs());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // A diagnostic recorded after the recorder's onEpochEnd: it must still reach the files.
      control.record("diag", control.epoch() * 10.0);
    }
  }

  @Test
  void writesTheMetricsFilesAfterEveryEpochOfARealTraining() throws Exception {
    RunRecorder recorder = new RunRecorder(root, new Plots());
    Snooper snooper = new Snooper(root.resolve("metrics.csv"), root.resolve("history.json"));
    Trainer trainer = new Trainer(
        config(3).scheduler(recorder).scheduler(snooper).checkpointDir(root.resolve("checkpoints")).build());
    History history = trainer.fit(mlp(), train, validation).history();

    assertEquals(3, snooper.csvAtEpochEnd.size());
    for (int e = 0; e < 3; e++) {
      List<String> lines = snooper.csvAtEpochEnd.get(e).lines().toList();
      assertEquals(e + 2, lines.size(), "header plus one row per finished epoch: " + lines);
      assertTrue(lines.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy,lr"), lines.get(0));
      assertTrue(lines.get(e + 1).startsWith((e + 1) + ","), lines.get(e + 1));
      assertEquals(e + 1, snooper.jsonEpochsAtEpochEnd.get(e));
    }

    List<String> last = Files.readAllLines(root.resolve("metrics.csv"));
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr,diag", last.get(0));
    assertEquals(4, last.size());
    assertTrue(last.get(3).endsWith(",20"), "the last epoch's late diagnostic is written at train end: " + last);
    assertEquals(HistoryFiles.csv(history), Files.readString(root.resolve("metrics.csv")));
    History back = HistoryFiles.readHistory(root.resolve("history.json"));
    assertEquals(history.series("val_accuracy"), back.series("val_accuracy"));
    assertTrue(history.last("val_accuracy").getAsDouble() > 0.75, "it did learn: " + history.series("val_accuracy"));

    assertTrue(Files.isDirectory(root.resolve("checkpoints/last")), "the trainer wrote its checkpoints beside");
    for (String png : List.of("loss.png", "accuracy.png", "lr.png", "diag.png")) {
      assertTrue(Files.size(root.resolve("plots").resolve(png)) > 1000, png);
    }
    RunRecorder.Training t = recorder.primary().orElseThrow();
    assertEquals("training-1", t.label());
    assertTrue(t.primary() && t.finished());
    assertEquals(3, t.plannedEpochs());
    assertEquals(4, t.plots().size());
    try (var files = Files.list(root)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
    }
  }

  @Test
  void furtherTrainingsOfTheRunGetTheirOwnLabelledFiles() throws Exception {
    RunRecorder recorder = new RunRecorder(root, null);
    Dataset train = RunRecorderTest.train.subset(java.util.stream.IntStream.range(0, 64).toArray());
    new Trainer(config(1).scheduler(recorder.labelled("teacher")).build()).fit(mlp(), train, null);
    new Trainer(config(2).scheduler(recorder).build()).fit(mlp(), train, validation);
    new Trainer(config(1).scheduler(recorder.labelled("teacher")).build()).fit(mlp(), train, null);
    new Trainer(config(1).scheduler(recorder.labelled("dropout p=0.5")).build()).fit(mlp(), train, null);

    List<RunRecorder.Training> trainings = recorder.trainings();
    assertEquals(List.of("teacher", "training-2", "teacher-2", "dropout p=0.5"),
        trainings.stream().map(RunRecorder.Training::label).toList());
    assertEquals(List.of(true, false, false, false), trainings.stream().map(RunRecorder.Training::primary).toList());
    assertEquals(root.resolve("metrics.csv"), trainings.get(0).metricsCsv());
    assertEquals(root.resolve("metrics-training-2.csv"), trainings.get(1).metricsCsv());
    assertEquals(root.resolve("history-teacher-2.json"), trainings.get(2).historyJson());
    assertEquals(root.resolve("metrics-dropout-p-0.5.csv"), trainings.get(3).metricsCsv());
    assertEquals(3, Files.readAllLines(root.resolve("metrics-training-2.csv")).size());
    assertEquals("epoch,loss,accuracy,lr", Files.readAllLines(root.resolve("metrics.csv")).get(0));
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr",
        Files.readAllLines(root.resolve("metrics-training-2.csv")).get(0));
    assertFalse(Files.exists(root.resolve("plots")), "no plots when none are asked for");
  }

  @Test
  void writesEveryEpochAndEveryBatchToATensorBoardEventFile() throws Exception {
    RunRecorder recorder = new RunRecorder(root, null);
    Snooper snooper = new Snooper(root.resolve("metrics.csv"), root.resolve("history.json"));
    History history = new Trainer(config(3).scheduler(recorder).scheduler(snooper).build())
        .fit(mlp(), train, validation).history();

    List<Path> files = EventFile.list(root);
    assertEquals(List.of(recorder.eventFile().orElseThrow()), files);
    List<EventRecords.Event> events = EventRecords.read(files.get(0));
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    for (String metric : List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr")) {
      assertEquals(List.of(1L, 2L, 3L), EventRecords.steps(events, metric), metric);
      assertEquals(history.series(metric).stream().map(Double::floatValue).toList(),
          EventRecords.values(events, metric), metric);
    }
    assertEquals(List.of(0f, 10f, 20f), EventRecords.values(events, "diag"),
        "a diagnostic recorded after the recorder is added when the files are next written");
    int batches = (train.size() + 31) / 32;
    List<Long> steps = EventRecords.steps(events, "batch/loss");
    assertEquals(java.util.stream.LongStream.rangeClosed(1, 3L * batches).boxed().toList(), steps);
    assertTrue(EventRecords.values(events, "batch/loss").stream().allMatch(v -> v > 0 && v < 2));
  }

  /** One scalar event as a TFRecord, as an interrupted process would have left it after its checkpoint. */
  private static byte[] scalarRecord(String tag, long step, float value) {
    ProtoWriter value1 = new ProtoWriter().string(1, tag).float32(2, value);
    return EventFile.record(new ProtoWriter().float64(1, 1.7e9).varint(2, step)
        .message(5, new ProtoWriter().message(1, value1)).toByteArray());
  }

  @Test
  void aResumedTrainingContinuesTheEventsOfTheInterruptedOne() throws Exception {
    Path checkpoints = root.resolve("checkpoints");
    new Trainer(config(2).scheduler(new RunRecorder(root, null)).checkpointDir(checkpoints).build())
        .fit(mlp(), train, null);
    int batches = (train.size() + 31) / 32;
    // Killed after writing epoch 3's loss and a batch past the checkpoint of epoch 2, mid-record.
    Path interrupted = EventFile.list(root).get(0);
    Files.write(interrupted, scalarRecord("loss", 3, 9f), StandardOpenOption.APPEND);
    Files.write(interrupted, scalarRecord("batch/loss", 2L * batches + 1, 9f), StandardOpenOption.APPEND);
    Files.write(interrupted, scalarRecord("someone_else", 7, 9f), StandardOpenOption.APPEND);
    Files.write(interrupted, Arrays.copyOf(scalarRecord("loss", 4, 9f), 20), StandardOpenOption.APPEND);
    RunRecorder resumed = new RunRecorder(root, null);
    History history = new Trainer(config(4).scheduler(resumed).checkpointDir(checkpoints)
        .resumeFrom(checkpoints.resolve(Trainer.LAST)).build()).fit(mlp(), train, null).history();

    List<Path> files = EventFile.list(root);
    assertEquals(2, files.size(), "one file per process: " + files);
    assertEquals(files.get(1), resumed.eventFile().orElseThrow());
    List<EventRecords.Event> first = EventRecords.read(files.get(0));
    List<EventRecords.Event> second = EventRecords.read(files.get(1));
    assertEquals(List.of(1L, 2L), EventRecords.steps(first, "loss"), "trimmed to the checkpoint, torn tail too");
    assertEquals(2L * batches, EventRecords.steps(first, "batch/loss").get(2 * batches - 1));
    assertEquals(2 * batches, EventRecords.steps(first, "batch/loss").size());
    assertEquals(List.of(7L), EventRecords.steps(first, "someone_else"), "tags of other trainings stay");
    assertEquals(List.of(3L, 4L), EventRecords.steps(second, "loss"), "restored epochs are not written twice");
    assertEquals(history.series("loss").subList(2, 4).stream().map(Double::floatValue).toList(),
        EventRecords.values(second, "loss"));
    assertEquals(2L * batches + 1, EventRecords.steps(second, "batch/loss").get(0),
        "the global step goes on from the checkpoint's");
  }

  @Test
  void laterTrainingsPutTheirLabelBeforeTheirTags() throws Exception {
    RunRecorder recorder = new RunRecorder(root, null);
    Dataset small = train.subset(java.util.stream.IntStream.range(0, 64).toArray());
    new Trainer(config(1).scheduler(recorder).build()).fit(mlp(), small, null);
    new Trainer(config(2).scheduler(recorder.labelled("student")).build()).fit(mlp(), small, null);

    List<EventRecords.Event> events = EventRecords.read(recorder.eventFile().orElseThrow());
    assertEquals(List.of(1L), EventRecords.steps(events, "loss"));
    assertEquals(List.of(1L, 2L), EventRecords.steps(events, "student/loss"));
    assertEquals(List.of(1L, 2L), EventRecords.steps(events, "batch/loss"));
    assertEquals(List.of(1L, 2L, 3L, 4L), EventRecords.steps(events, "student/batch/loss"));
  }
}
