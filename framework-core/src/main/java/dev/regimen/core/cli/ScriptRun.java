package dev.regimen.core.cli;

import dev.regimen.api.tensor.NativeBuild;
import dev.regimen.core.plugin.PluginFailure;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.run.Report;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunRecorder;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.run.RunSettings;
import dev.regimen.core.script.EvaluationRecord;
import dev.regimen.core.script.RunOptions;
import dev.regimen.core.script.ScriptException;
import dev.regimen.core.script.ScriptHost;
import dev.regimen.core.script.ScriptLanguage;
import dev.regimen.core.script.ScriptResult;
import dev.regimen.core.script.ScriptRunner;
import dev.regimen.core.script.TrainingRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * One run of a script in a run folder, new ({@code regimen run}) or continued ({@code regimen resume}):
 * loads the plugins, records the run's settings in {@value RunFolder#RUN_JSON}, runs the script with
 * the run recorder, writes the report and prints where everything is. Returns the exit code: 0, 1 if
 * the script failed, {@value Interrupts#SIGINT_EXIT} or {@value Interrupts#SIGTERM_EXIT} if a signal
 * stopped it.
 */
final class ScriptRun {
  /** Folders of data sets scripts may read besides the embedded ones (Debian's dataset packages). */
  private static final List<Path> SYSTEM_DATA = List.of(Path.of("/usr/share/datasets"));

  private final CommandLine cli;
  private final boolean progress;

  ScriptRun(CommandLine cli, boolean progress) {
    this.cli = cli;
    this.progress = progress;
  }

  /** How a run ended: its exit code, and whether it failed before it trained or wrote anything. */
  private record Ended(int exit, boolean nothingRan) {}

  /**
   * Runs a script in a new run folder under {@code parent}. A script that fails before it trains or
   * writes anything leaves no run folder (nor the parent, if this run made it): there is nothing in it
   * but how the run was started, and the console showed the error.
   */
  int start(Path parent, Path script, List<String> sets, Long seed, Path pluginsDir, boolean allowHostAccess)
      throws IOException {
    Path file = script.toAbsolutePath().normalize();
    startLanguage(file, allowHostAccess);
    Path runs = parent.toAbsolutePath().normalize();
    boolean runsExisted = Files.isDirectory(runs);
    Path root;
    Ended ended;
    try (PluginHost host = plugins(pluginsDir);
        RunFolder folder = RunFolder.create(runs, file.getFileName().toString())) {
      RunSettings settings = new RunSettings(file, RunSettings.sha256(file), sets, seed,
          pluginsDir == null ? null : pluginsDir.toAbsolutePath().normalize(), allowHostAccess,
          PluginHost.frameworkVersion(), folder.started(), RunSettings.RUNNING, 0);
      root = folder.root();
      ended = execute(host, folder, settings, false);
    }
    if (ended.nothingRan()) {
      // Closed first: the log appender holds run.log open until then.
      for (String name : List.of(RunFolder.RUN_JSON, RunFolder.RUN_LOG)) {
        Files.deleteIfExists(root.resolve(name));
      }
      Files.delete(root);
      if (!runsExisted && isEmptyFolder(runs)) {
        Files.delete(runs);
      }
      cli.getOut().println("No run folder was kept: the script failed before it trained or wrote anything.");
      cli.getOut().flush();
    }
    return ended.exit();
  }

  /** Continues the run of {@code settings} in its folder {@code root}. */
  int resume(Path root, RunSettings settings) throws IOException {
    startLanguage(settings.script(), settings.allowHostAccess());
    try (PluginHost host = plugins(settings.pluginsDir());
        RunFolder folder = RunFolder.open(root, settings.script().getFileName().toString(), settings.started())) {
      return execute(host, folder, settings.resumedOnceMore(), true).exit();
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Whether a failed run left nothing of its own in its folder: no training started, and no file there
   * but {@value RunFolder#RUN_JSON} and {@value RunFolder#RUN_LOG}, which the launcher writes.
   */
  private static boolean nothingRan(RunFolder folder, RunRecorder recorder) throws IOException {
    if (!recorder.trainings().isEmpty()) {
      return false;
    }
    try (Stream<Path> entries = Files.list(folder.root())) {
      return entries.map(p -> p.getFileName().toString())
          .allMatch(name -> name.equals(RunFolder.RUN_JSON) || name.equals(RunFolder.RUN_LOG));
    }
  }

  /**
   * Starts the script's language in the background while the plugins load and the run folder is
   * made, so that the script's context starts fast ({@link ScriptHost#prepare}): a Python script's
   * first line comes seconds sooner.
   */
  private static void startLanguage(Path script, boolean allowHostAccess) {
    ScriptLanguage.find(script).ifPresent(language -> ScriptHost.shared().prepare(language, allowHostAccess));
  }

  private static PluginHost plugins(Path dir) {
    return dir == null ? PluginHost.load() : PluginHost.load(dir);
  }

  private Ended execute(PluginHost host, RunFolder folder, RunSettings settings, boolean resume) throws IOException {
    PrintWriter err = cli.getErr();
    PrintWriter console = cli.getOut();
    for (PluginFailure failure : host.failures()) {
      err.println("warning: plugin " + failure.file().getFileName() + " was not loaded: " + failure.reason());
    }
    err.flush();
    settings.write(folder.root());
    RunRecorder recorder = new RunRecorder(folder);
    ScriptRunner runner = new ScriptRunner();
    Interrupts.onSignal(runner::interrupt);

    RunOptions.Builder options = RunOptions.builder()
        .seed(settings.seed())
        .registry(host.registry())
        .plugins(host.plugins())
        .runDir(folder.root())
        .checkpointsDir(folder.checkpoints())
        .allowHostAccess(settings.allowHostAccess())
        .resume(resume)
        .extraScheduler(recorder)
        .out(System.out)
        .err(System.err)
        .progress(progress);
    dataDirs().forEach(options::dataDir);
    settings.sets().forEach(options::set);
    RunOptions runOptions = options.build();
    boolean smoke = "true".equalsIgnoreCase(runOptions.params().get("smoke"));

    int exit = 0;
    boolean failed = false;
    String status;
    ScriptResult result = null;
    try {
      result = runner.run(settings.script(), runOptions);
      if (result.interrupted()) {
        status = RunSettings.INTERRUPTED;
        exit = Interrupts.exitCode();
      } else {
        status = RunSettings.FINISHED;
      }
      result.warnings().forEach(w -> err.println("warning: " + w));
    } catch (ScriptException e) {
      status = "failed: " + e.getMessage();
      err.println("error: " + e.getMessage());
      exit = 1;
      failed = true;
    } finally {
      Interrupts.clear();
    }
    err.flush();
    if (failed && !resume && nothingRan(folder, recorder)) {
      return new Ended(exit, true);
    }
    if (result != null) {
      results(result).write(folder.root());
    }
    settings.withStatus(status).write(folder.root());
    Report.Builder report = Report.builder(folder)
        .script(Files.readString(settings.script(), StandardCharsets.UTF_8))
        .plugins(host.plugins())
        .recorder(recorder)
        .status(status)
        .finished(Instant.now());
    settings(report, settings, smoke);
    if (result != null) {
      report.parameters(result.params());
      for (TrainingRecord t : result.trainings()) {
        report.trainer(t.name(), t.config());
      }
      for (EvaluationRecord e : result.evaluations()) {
        report.evaluation(e.trainer(), e.data(), e.samples(), e.metrics());
      }
    }
    Path page = report.write();
    if (result != null) {
      result.trainings().forEach(t -> console.println(summary(t)));
      result.evaluations().forEach(e -> console.println(summary(e)));
    }
    console.println("Run folder: " + folder.root().toAbsolutePath().normalize());
    console.println("Report: " + page.toAbsolutePath().normalize());
    if (RunSettings.INTERRUPTED.equals(status)) {
      console.println("Interrupted; continue it with: regimen resume " + folder.root().toAbsolutePath().normalize());
    }
    console.flush();
    return new Ended(exit, false);
  }

  /** What the run ended with, as {@code results.json} holds it for sweeps and comparisons. */
  static RunResults results(ScriptResult result) {
    List<RunResults.Training> trainings = new ArrayList<>();
    for (TrainingRecord t : result.trainings()) {
      trainings.add(new RunResults.Training(t.name(), t.history().epochs(), t.keptEpoch(), t.finalMetrics()));
    }
    List<RunResults.Evaluation> evaluations = new ArrayList<>();
    for (EvaluationRecord e : result.evaluations()) {
      evaluations.add(new RunResults.Evaluation(e.trainer(), e.data(), e.samples(), e.metrics()));
    }
    return new RunResults(result.params(), trainings, evaluations);
  }

  /** The run's settings in the report: how it was started, the seed, and every version that made it. */
  private static void settings(Report.Builder report, RunSettings settings, boolean smoke) {
    report.setting("command", settings.commandLine())
        .setting("seed", settings.seed() == null ? "42 (default)" : settings.seed())
        .setting("smoke", smoke)
        .setting("sandbox", settings.allowHostAccess() ? "lifted (--allow-host-access)" : "on")
        .setting("plugins folder", (settings.pluginsDir() == null ? PluginHost.defaultPluginsDir() : settings.pluginsDir()).toAbsolutePath().normalize());
    if (settings.resumed() > 0) {
      report.setting("resumed", settings.resumed() + (settings.resumed() == 1 ? " time" : " times"));
    }
    for (String line : new RegimenCommand.Version().getVersion()) {
      report.setting(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
    }
    for (String line : NativeBuild.describe()) {
      report.setting(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
    }
  }

  /**
   * A training's line on the console: the metrics of the weights it kept (early stopping's restored
   * epoch, not the last one's).
   */
  static String summary(TrainingRecord t) {
    int epochs = t.history().epochs();
    if (epochs == 0) {
      return "Final metrics (" + t.name() + "): no epoch finished";
    }
    String which = t.restoredEarlierEpoch()
        ? ", weights of epoch " + (t.keptEpoch() + 1) + " of " + epochs + ", put back by early stopping"
        : "";
    return "Final metrics (" + t.name() + which + "): " + format(t.finalMetrics());
  }

  /** An evaluation's line on the console: {@code Test metrics (train-1, 360 samples): ...}. */
  static String summary(EvaluationRecord e) {
    String what = e.onTestSet() ? "Test metrics" : "Metrics on " + e.data();
    return what + " (" + e.trainer() + ", " + e.samples() + " samples): " + format(e.metrics());
  }

  private static List<Path> dataDirs() {
    List<Path> dirs = new ArrayList<>();
    String home = System.getProperty(PluginHost.HOME_PROPERTY);
    if (home != null && Files.isDirectory(Path.of(home, "data"))) {
      dirs.add(Path.of(home, "data"));
    }
    for (Path dir : SYSTEM_DATA) {
      if (Files.isDirectory(dir)) {
        dirs.add(dir);
      }
    }
    return dirs;
  }

  private static String format(Map<String, Double> metrics) {
    StringBuilder out = new StringBuilder();
    metrics.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=')
        .append(String.format(Locale.ROOT, "%.4f", v)));
    return out.toString();
  }
}
