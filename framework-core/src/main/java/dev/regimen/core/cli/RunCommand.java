package dev.regimen.core.cli;

import dev.regimen.core.plugin.PluginFailure;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.run.Report;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunRecorder;
import dev.regimen.core.script.RunOptions;
import dev.regimen.core.script.ScriptException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen run FILE}: runs a JavaScript or Python script in a fresh run folder
 * ({@code runs/<script>-<yyyyMMdd-HHmmss>/}, under {@code --out} if given) and writes there the log,
 * the metrics of every epoch, the curves, the checkpoints and a report page. Ctrl-C stops training
 * at the next batch boundary with the last checkpoint whole; a second Ctrl-C quits at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a training script (.js or .py) and write its run folder.")
final class RunCommand implements Callable<Integer> {
  /** Folders of data sets scripts may read besides the embedded ones (Debian's dataset packages). */
  private static final List<Path> SYSTEM_DATA = List.of(Path.of("/usr/share/datasets"));

  @Parameters(index = "0", paramLabel = "FILE", description = "The script: a .js or .py file.")
  Path script;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A parameter for the script, read with rg.param(KEY, default). Repeatable. "
          + "--set smoke=true runs a short smoke test (1 epoch on a small subset).")
  List<String> sets = new ArrayList<>();

  @CommandLine.Mixin
  RegimenCommand.PluginsDirOption plugins = new RegimenCommand.PluginsDirOption();

  @Option(names = "--out", paramLabel = "DIR", description = "Where run folders go (default: runs/).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "The seed of trainers and splits that set none (default 42).")
  Long seed;

  @Option(names = "--allow-host-access",
      description = "Let the script use Java classes, every file and processes (off: only its folder, the data and the run folder).")
  boolean allowHostAccess;

  @Option(names = "--no-progress", description = "No progress bar (it is shown only on a terminal anyway).")
  boolean noProgress;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter console = spec.commandLine().getOut();
    checkScript();
    Map<String, String> params = parseSets();
    boolean smoke = "true".equalsIgnoreCase(params.remove("smoke"));

    try (PluginHost host = plugins.load();
        RunFolder folder = RunFolder.create((out == null ? RunFolder.DEFAULT_PARENT : out).toAbsolutePath().normalize(),
            script.getFileName().toString())) {
      for (PluginFailure failure : host.failures()) {
        err.println("warning: plugin " + failure.file().getFileName() + " was not loaded: " + failure.reason());
      }
      err.flush();
      RunRecorder recorder = new RunRecorder(folder);
      ScriptRunner runner = new ScriptRunner();
      Interrupts.onCtrlC(runner::interrupt);

      RunOptions.Builder options = RunOptions.builder()
          .params(params)
          .seed(seed)
          .registry(host.registry())
          .plugins(host.plugins())
          .runDir(folder.root())
          .checkpointsDir(folder.checkpoints())
          .allowHostAccess(allowHostAccess)
          .smoke(smoke)
          .extraScheduler(recorder)
          .out(System.out)
          .err(System.err)
          .progress(!noProgress);
      dataDirs().forEach(options::dataDir);

      int exit = 0;
      String status;
      ScriptResult result = null;
      try {
        result = runner.run(script, options.build());
        status = result.interrupted() ? "interrupted" : "finished";
        result.warnings().forEach(w -> err.println("warning: " + w));
      } catch (ScriptException e) {
        status = "failed: " + e.getMessage();
        err.println("error: " + e.getMessage());
        exit = 1;
      } finally {
        Interrupts.clear();
      }
      err.flush();
      Report.Builder report = Report.builder(folder)
          .script(Files.readString(script, StandardCharsets.UTF_8))
          .setting("script", script.toAbsolutePath().normalize())
          .setting("seed", seed == null ? "42 (default)" : seed)
          .setting("smoke", smoke)
          .setting("java", System.getProperty("java.version"))
          .plugins(host.plugins())
          .recorder(recorder)
          .status(status)
          .finished(Instant.now());
      if (result != null) {
        report.parameters(result.params());
      }
      Path page = report.write();
      if (result != null && !result.trainings().isEmpty()) {
        TrainingRecord last = result.lastTraining();
        console.println("Final metrics (" + last.name() + "): " + format(last.finalMetrics()));
      }
      console.println("Run folder: " + folder.root().toAbsolutePath().normalize());
      console.println("Report: " + page.toAbsolutePath().normalize());
      console.flush();
      return exit;
    }
  }

  private void checkScript() {
    if (!Files.isRegularFile(script)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "No such script: " + script);
    }
    String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".js") && !name.endsWith(".py")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "A script must be a .js (JavaScript) or .py (Python) file: " + script);
    }
  }

  private Map<String, String> parseSets() {
    Map<String, String> params = new LinkedHashMap<>();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--set takes KEY=VALUE. Received: --set " + set);
      }
      params.put(set.substring(0, eq).strip(), set.substring(eq + 1).strip());
    }
    return params;
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
