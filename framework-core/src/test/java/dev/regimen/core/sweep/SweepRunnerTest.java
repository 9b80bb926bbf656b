package dev.regimen.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.train.History;
import dev.regimen.core.run.HistoryFiles;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.run.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep runner with a stand-in for the child processes that writes run folders as {@code regimen
 * run} would: continuing an interrupted sweep, recording a failed run, the tables, a grid key the
 * script never reads.
 */
class SweepRunnerTest {
  @TempDir Path dir;

  /** accuracy = 0.5 + rate / 10 + seed / 100: a rate of 0.5 adds exactly 0.05 for every seed. */
  private static double accuracy(double rate, long seed) {
    return 0.5 + rate / 10 + seed / 100.0;
  }

  /**
   * Writes a run folder for {@code regimen run} arguments, or finishes one for {@code regimen resume};
   * {@code fate} says how a run ends: {@code finished}, {@code interrupted} or {@code failed: message}.
   */
  private static final class FakeRuns implements RunLauncher {
    final List<List<String>> started = new ArrayList<>();
    final Function<List<String>, String> fate;
    Runnable onStart = () -> {};
    boolean readsParams = true;

    FakeRuns(Function<List<String>, String> fate) {
      this.fate = fate;
    }

    @Override
    public Running start(List<String> args, Path log, int threads) throws IOException {
      started.add(List.copyOf(args));
      onStart.run();
      Path folder;
      RunSettings settings;
      if (args.get(0).equals("resume")) {
        folder = Path.of(args.get(1));
        settings = RunSettings.read(folder).resumedOnceMore();
      } else {
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
          if (args.get(i).equals("--set")) {
            sets.add(args.get(i + 1));
          }
        }
        long seed = Long.parseLong(args.get(args.indexOf("--seed") + 1));
        folder = RunFolder.create(Path.of(args.get(args.indexOf("--out") + 1)), args.get(1), LocalDateTime.now(), false)
            .root();
        settings = new RunSettings(Path.of(args.get(1)), "sha", sets, seed, null, false, "test", Instant.now(),
            RunSettings.RUNNING, 0);
      }
      String how = fate.apply(args);
      double rate = Double.parseDouble(settings.sets().stream().filter(x -> x.startsWith("rate=")).findFirst()
          .orElseThrow().substring("rate=".length()));
      double acc = accuracy(rate, settings.seed());
      History history = new History();
      history.record(0, "loss", 1 - acc);
      history.record(0, "accuracy", acc);
      Files.writeString(folder.resolve(RunFolder.HISTORY_JSON), HistoryFiles.json("train-1", history));
      if (how.equals(RunSettings.FINISHED)) {
        new RunResults(readsParams ? Map.of("rate", rate) : Map.of("epochs", 1),
            List.of(new RunResults.Training("train-1", 1, 0, Map.of("loss", 1 - acc, "accuracy", acc))), List.of())
            .write(folder);
      }
      if (how.startsWith("failed: ")) {
        Files.writeString(log, "error: " + how.substring("failed: ".length()) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
      }
      settings.withStatus(how).write(folder);
      int exit = how.equals(RunSettings.FINISHED) ? 0 : how.equals(RunSettings.INTERRUPTED) ? 130 : 1;
      return new Running() {
        @Override
        public int waitFor() {
          return exit;
        }

        @Override
        public void stop() {}
      };
    }
  }

  private SweepSpec spec() {
    return new SweepSpec(dir.resolve("drop.js"), "sha", List.of("smoke=true"), Grid.parse(List.of("rate=0,0.5")),
        List.of(1L, 2L), null, false);
  }

  private SweepRunner runner(FakeRuns runs, StringWriter console) {
    SweepSpec spec = spec();
    return new SweepRunner(spec, spec.grid().baseline(List.of()), 1, 2, runs, new PrintWriter(console), Map.of());
  }

  @Test
  void aSweepStartedAgainSkipsFinishedRunsAndResumesTheInterruptedOne() throws IOException {
    StringWriter console = new StringWriter();
    FakeRuns first = new FakeRuns(args -> args.contains("rate=0.5") && args.contains("1")
        ? RunSettings.INTERRUPTED : RunSettings.FINISHED);
    SweepRunner stopped = runner(first, console);
    // Ctrl-C during the second run: it stops as interrupted, the last two never start.
    first.onStart = () -> {
      if (first.started.size() == 2) {
        stopped.stop(false);
      }
    };
    SweepRunner.Result one = stopped.run(dir.resolve("runs"));
    assertTrue(one.interrupted());
    assertEquals(SweepRecord.INTERRUPTED, one.record().status());
    assertEquals(List.of(RunOutcome.Status.FINISHED, RunOutcome.Status.INTERRUPTED, RunOutcome.Status.NOT_RUN,
        RunOutcome.Status.NOT_RUN), one.record().runs().stream().map(SweepRecord.Entry::status).toList());
    assertEquals(2, first.started.size());

    FakeRuns second = new FakeRuns(args -> RunSettings.FINISHED);
    SweepRunner.Result two = runner(second, console).run(dir.resolve("runs"));
    assertEquals(one.folder(), two.folder(), "the same arguments continue the same sweep folder");
    Path interrupted = one.folder().resolve(one.record().runs().get(1).folder());
    assertEquals(List.of(
        List.of("resume", interrupted.toString(), "--no-progress"),
        List.of("run", dir.resolve("drop.js").toString(), "--set", "smoke=true", "--set", "rate=0", "--seed", "2",
            "--out", one.folder().resolve("runs").toString(), "--no-progress"),
        List.of("run", dir.resolve("drop.js").toString(), "--set", "smoke=true", "--set", "rate=0.5", "--seed", "2",
            "--out", one.folder().resolve("runs").toString(), "--no-progress")), second.started);
    assertEquals(SweepRecord.FINISHED, two.record().status());
    assertTrue(console.toString().contains("4 runs: 2 configurations x 2 seeds, 1 at a time with 2 threads each; "
        + "1 already finished; 1 to resume"), console.toString());
    assertEquals(4, two.count(RunOutcome.Status.FINISHED));

    // The tables, against the stand-in's formula: rate=0.5 adds 0.05 to every seed's accuracy.
    Statistics.Summary base = two.tables().stats("rate=0", "accuracy");
    assertEquals(2, base.n());
    assertEquals((accuracy(0, 1) + accuracy(0, 2)) / 2, base.mean(), 1e-15);
    SweepTables.Difference d = two.tables().differences().stream().filter(x -> x.metric().equals("accuracy"))
        .findFirst().orElseThrow();
    assertEquals("rate=0.5", d.config());
    assertEquals("rate=0", d.baseline());
    assertEquals(2, d.stats().n());
    assertEquals(0.05, d.stats().mean(), 1e-12);
    assertEquals(0.05, d.stats().ciLow(), 1e-12);
    List<String> summary = Files.readAllLines(two.folder().resolve(SweepTables.SUMMARY_CSV));
    assertEquals("config,metric,n,mean,std,ci95_low,ci95_high", summary.get(0));
    assertEquals(5, summary.size(), "two configurations x two metrics: " + summary);
    assertTrue(Files.readString(two.report()).contains("Regimen sweep report"));
  }

  @Test
  void aFailedRunIsRecordedWithItsErrorAndLeftOutOfTheSummary() throws IOException {
    StringWriter console = new StringWriter();
    FakeRuns runs = new FakeRuns(args -> args.contains("rate=0.5") && args.contains("2")
        ? "failed: drop.js:3: boom" : RunSettings.FINISHED);
    SweepRunner.Result result = runner(runs, console).run(dir.resolve("runs"));
    assertEquals(SweepRecord.FINISHED_WITH_FAILURES, result.record().status());
    SweepRecord.Entry failed = SweepRecord.read(result.folder()).runs().get(3);
    assertEquals(RunOutcome.Status.FAILED, failed.status());
    assertEquals("drop.js:3: boom", failed.error());
    assertEquals(1, failed.exit());
    assertEquals("logs/rate-0.5-seed2.log", failed.log());
    assertTrue(console.toString().contains("[4/4] rate=0.5 seed=2: FAILED in "), console.toString());
    assertTrue(console.toString().contains(": drop.js:3: boom (log: logs/rate-0.5-seed2.log)"), console.toString());

    assertEquals(1, result.tables().stats("rate=0.5", "accuracy").n());
    assertEquals(2, result.tables().stats("rate=0", "accuracy").n());
    assertEquals(1, result.tables().differences().get(0).stats().n(), "one seed finished in both");
    String runsCsv = Files.readString(result.folder().resolve(SweepTables.RUNS_CSV));
    assertTrue(runsCsv.contains("\nrate=0.5,0.5,2,failed,"), runsCsv);
    assertTrue(runsCsv.contains(",drop.js:3: boom\n"), runsCsv);
    String html = Files.readString(result.report());
    assertTrue(html.contains("1 run failed</h2>"), "the report leads with the failure");
    assertTrue(html.contains("<td>drop.js:3: boom</td>"), "with its error");
  }

  @Test
  void aGridKeyTheScriptNeverReadsStopsTheSweep() throws IOException {
    FakeRuns runs = new FakeRuns(args -> RunSettings.FINISHED);
    runs.readsParams = false;
    SweepRunner.Result result = runner(runs, new StringWriter()).run(dir.resolve("runs"));
    assertEquals("--grid rate: the script never reads parameter 'rate' with rg.param (it reads: epochs), so every run"
        + " would compute the same; the sweep stopped", result.problem());
    assertEquals(1, runs.started.size(), "no run after the first");
    assertNull(result.record().runs().get(1).folder());
  }
}
