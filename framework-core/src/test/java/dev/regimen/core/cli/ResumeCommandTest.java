package dev.regimen.core.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.run.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regimen resume}: a run stopped by a signal exits with 128 + the signal's number, keeps its
 * last checkpoint, and, resumed, ends with the same files as a run that was never interrupted.
 */
@Timeout(300)
class ResumeCommandTest {
  /**
   * Four epochs with early stopping that keeps the first epoch's weights (no later epoch gains 10),
   * printing a marker after the epoch {@code --set stop_after=K} names, and the kept model's outputs.
   */
  private static final String SCRIPT = """
      const data = rg.data.synthetic('spirals', { n: 240, validation: 0.25 });
      const model = rg.sequential([rg.layer('dense', { units: 16 }), rg.layer('tanh'), rg.layer('dense', { units: 3 })]);
      const stopAfter = rg.param('stop_after', 0);
      rg.trainer({
        optimizer: rg.optimizer('adam', { lr: 1e-2 }), epochs: 4, batchSize: 16, checkpoint: true,
        schedulers: [rg.scheduler('early_stopping', { monitor: 'val_loss', patience: 10, min_delta: 10 })],
        onEpochEnd: e => { if (e.epoch === stopAfter) console.log('STOP HERE'); },
      }).fit(model, data.train, data.validation);
      console.log('OUTPUTS ' + JSON.stringify(rg.predict(model, data.validation.head(4)).outputs));
      """;

  private static String outputs(Cli.Outcome o) {
    return o.scriptOut().lines().filter(l -> l.startsWith("OUTPUTS ")).findFirst().orElse("none: " + o.scriptOut());
  }

  @Test
  void aRunStoppedBySigtermAndResumedEndsBitForBitAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("spirals.js"), SCRIPT);
    Cli.Outcome whole = Cli.execute("run", script.toString(), "--out", dir.resolve("whole").toString(), "--seed", "3",
        "--no-progress");
    assertEquals(0, whole.exit(), whole.err());
    Path expected = Cli.onlyRunFolder(dir.resolve("whole"));

    Path runs = dir.resolve("runs");
    Cli.Outcome stopped = Cli.executeWatching("STOP HERE", () -> Interrupts.raise("TERM"),
        "run", script.toString(), "--out", runs.toString(), "--seed", "3", "--set", "stop_after=2", "--no-progress");
    assertEquals(Interrupts.SIGTERM_EXIT, stopped.exit(), stopped.err());
    Path folder = Cli.onlyRunFolder(runs);
    assertTrue(stopped.out().contains("regimen resume " + folder), stopped.out());
    assertEquals(3, Files.readAllLines(folder.resolve("metrics.csv")).size(), "two epochs and the header");
    RunSettings settings = RunSettings.read(folder);
    assertEquals(RunSettings.INTERRUPTED, settings.status());
    assertEquals(3L, settings.seed());

    Cli.Outcome resumed = Cli.execute("resume", folder.toString(), "--no-progress");
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.out().startsWith("Resuming " + folder + ": regimen run " + script.toAbsolutePath()
        + " --set stop_after=2 --seed 3"), resumed.out());
    assertEquals(Files.readString(expected.resolve("metrics.csv")), Files.readString(folder.resolve("metrics.csv")));
    for (String file : new String[] {"last/weights.safetensors", "best/weights.safetensors"}) {
      assertArrayEquals(Files.readAllBytes(expected.resolve("checkpoints/train-1").resolve(file)),
          Files.readAllBytes(folder.resolve("checkpoints/train-1").resolve(file)), file);
    }
    assertEquals(outputs(whole), outputs(resumed), "the weights early stopping kept");
    assertEquals(1, RunSettings.read(folder).resumed());
    assertTrue(Files.readString(folder.resolve("run.log")).contains("Resuming from"), "the log goes on");

    Cli.Outcome again = Cli.execute("resume", folder.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("finished; there is nothing to resume"), again.err());
  }

  @Test
  void ctrlCExits130(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("wait.js"), """
        console.log('ready');
        rg.data.synthetic('two_moons', { n: 64 });
        console.log('not reached');
        """);
    Cli.Outcome o = Cli.executeWatching("ready", () -> Interrupts.raise("INT"),
        "run", script.toString(), "--out", dir.resolve("runs").toString());
    assertEquals(Interrupts.SIGINT_EXIT, o.exit(), o.err());
    assertTrue(!o.scriptOut().contains("not reached"), o.scriptOut());
  }

  @Test
  void whatCannotBeResumedIsAUsageErrorThatSaysWhy(@TempDir Path dir) throws IOException {
    Cli.Outcome missing = Cli.execute("resume", dir.resolve("nothing").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("No such run folder: " + dir.resolve("nothing")), missing.err());

    Cli.Outcome notARun = Cli.execute("resume", dir.toString());
    assertEquals(2, notARun.exit());
    assertTrue(notARun.err().contains("has no run.json"), notARun.err());

    Path script = Files.writeString(dir.resolve("s.js"), "console.log(1);\n");
    Path folder = Files.createDirectories(dir.resolve("runs/s-1"));
    new RunSettings(script, RunSettings.sha256(script), java.util.List.of(), null, null, false, "0", java.time.Instant.EPOCH,
        RunSettings.RUNNING, 0).write(folder);
    Files.writeString(script, "console.log(2);\n");
    Cli.Outcome changed = Cli.execute("resume", folder.toString());
    assertEquals(2, changed.exit());
    assertTrue(changed.err().contains(script + " changed since the run in " + folder + " started"), changed.err());
  }
}
