package dev.regimen.core.cli;

import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.plugin.PluginInfo;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunSettings;
import dev.regimen.core.script.RunOptions;
import dev.regimen.core.sweep.Grid;
import dev.regimen.core.sweep.Provenance;
import dev.regimen.core.sweep.RunLauncher;
import dev.regimen.core.sweep.RunOutcome;
import dev.regimen.core.sweep.Seeds;
import dev.regimen.core.sweep.SweepCluster;
import dev.regimen.core.sweep.SweepRunner;
import dev.regimen.core.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen sweep SCRIPT --grid KEY=V1,V2 --seeds 1..5}: runs a script once per grid point and
 * seed, each as its own run ({@code regimen run SCRIPT --set KEY=V --seed N}, in a child process, see
 * {@link ChildRuns}), {@code --jobs} at a time (or, with {@code --spark MASTER}, each as one task of a Spark
 * cluster, see {@link dev.regimen.core.sweep.SweepCluster}), and writes a sweep folder with the record, the summary
 * with 95% intervals, the paired differences against the baseline and a report (see
 * {@link SweepRunner}). Run again with the same arguments, it continues the sweep: finished runs are
 * skipped, interrupted ones resumed. Exit codes: 0 when every run finished, 1 when a run failed or did
 * not finish, 2 for a usage error (also a grid key the script never reads), 130/143 when Ctrl-C or
 * SIGTERM stopped it.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Run a script over a grid of --set values and several seeds, each as its own run, and summarize"
        + " the final metrics with 95%% intervals and paired differences against a baseline.",
        "Writes <out>/<script>-sweep-<time>/: sweep.json, summary.csv, differences.csv, runs.csv, report.html, runs/."
        + " The same command again continues it."})
final class SweepCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCRIPT", description = "The script: a .js or .py file.")
  Path script;

  @Option(names = "--grid", paramLabel = "KEY=V1,V2",
      description = "A parameter and its values; repeatable: every combination runs.")
  List<String> grid = new ArrayList<>();

  @Option(names = "--seeds", required = true, paramLabel = "SEEDS",
      description = "The seeds of every configuration: 1,2,3 or 1..5 (or 1..3,10).")
  String seeds;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A parameter for every run. Repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--baseline", paramLabel = "KEY=VALUE",
      description = "What differences are taken against: each configuration with KEY set to VALUE (repeatable;"
          + " default: the first value of every key).")
  List<String> baseline = new ArrayList<>();

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
      description = "Runs at a time (default 1); the native math threads are shared out between them.")
  int jobs;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Run each run as a task on Apache Spark at this master (local[2], spark://host:7077) instead of"
          + " --jobs on this machine; needs the Spark add-on. On a cluster --out must be on a shared file system.")
  String spark;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the sweep folder goes (default: runs/).")
  Path out;

  @CommandLine.Mixin
  RegimenCommand.PluginsDirOption plugins = new RegimenCommand.PluginsDirOption();

  @Option(names = "--allow-host-access", description = "Lift the sandbox of every run (see regimen run).")
  boolean allowHostAccess;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    RunCommand.checkScript(spec.commandLine(), script);
    Grid parsedGrid;
    List<Long> parsedSeeds;
    Map<String, String> parsedBaseline;
    try {
      parsedGrid = Grid.parse(grid);
      parsedSeeds = Seeds.parse(seeds);
      parsedBaseline = parsedGrid.baseline(baseline);
      RunOptions.Builder check = RunOptions.builder();
      for (String set : sets) {
        check.set(set);
        String key = set.substring(0, set.indexOf('=')).strip();
        if (parsedGrid.axes().containsKey(key)) {
          throw new IllegalArgumentException(key + " is both in --set " + set + " and in --grid; give it in one of them");
        }
      }
      if (jobs < 1) {
        throw new IllegalArgumentException("--jobs takes a number of runs at a time, 1 or more. Received: --jobs " + jobs);
      }
      if (spark != null && spec.commandLine().getParseResult().hasMatchedOption("--jobs")) {
        throw new IllegalArgumentException("--jobs " + jobs + " and --spark " + spark + " do not go together: with"
            + " --spark, Spark runs as many runs at a time as it has task slots (local[N]: N); leave out --jobs");
      }
      if (spark != null && spark.isBlank()) {
        throw new IllegalArgumentException("--spark takes a Spark master: local[2], spark://host:7077. Received:"
            + " --spark '" + spark + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (plugins.dir != null && !Files.isDirectory(plugins.dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "No such plugins folder: " + plugins.dir);
    }
    Path file = script.toAbsolutePath().normalize();
    SweepSpec sweep = new SweepSpec(file, RunSettings.sha256(file), sets, parsedGrid, parsedSeeds,
        plugins.dir == null ? null : plugins.dir.toAbsolutePath().normalize(), allowHostAccess);

    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SweepCluster.Session cluster = null;
    if (spark != null) {
      try {
        cluster = SweepCluster.require("spark", "--spark " + spark).open(spark, console);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    SweepRunner.Result result;
    try {
      result = run(sweep, parsedBaseline, file, cluster, console, err);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
    long finished = result.count(RunOutcome.Status.FINISHED);
    long failed = result.count(RunOutcome.Status.FAILED);
    long unfinished = result.record().runs().size() - finished - failed;
    console.println(result.record().runs().size() + " runs: " + finished + " finished"
        + (failed > 0 ? ", " + failed + " failed" : "") + (unfinished > 0 ? ", " + unfinished + " not finished" : ""));
    console.println("Summary: " + result.folder().resolve(dev.regimen.core.sweep.SweepTables.SUMMARY_CSV));
    console.println("Report: " + result.report());
    if (unfinished > 0 && result.problem() == null) {
      console.println("Continue it with the same command.");
    }
    console.flush();
    if (result.problem() != null) {
      err.println(spec.commandLine().getColorScheme().errorText("error: " + result.problem()));
      err.flush();
      return 2;
    }
    if (result.interrupted()) {
      return Interrupts.exitCode();
    }
    return failed > 0 || unfinished > 0 ? 1 : 0;
  }

  /** Runs the sweep here ({@code --jobs}) or, given a cluster session, as its tasks ({@code --spark}). */
  private SweepRunner.Result run(SweepSpec sweep, Map<String, String> parsedBaseline, Path file,
      SweepCluster.Session cluster, PrintWriter console, PrintWriter err) throws IOException {
    int available = ChildRuns.availableThreads();
    int slots = cluster == null ? jobs : cluster.slots(sweep.points().size());
    int threads = cluster == null ? Math.max(1, available / jobs) : cluster.threadsPerRun(available, slots);
    if (cluster == null && jobs > available) {
      err.println("warning: --jobs " + jobs + " with " + available + " native threads to share: runs share cores, "
          + "1 thread each");
      err.flush();
    }
    ChildRuns children = new ChildRuns(slots > 1);
    RunLauncher launcher = children;
    if (cluster != null) {
      SweepCluster.Session session = cluster;
      // The runner names a run's log logs/<point id>.log: the task is named after the point.
      launcher = (arguments, log, runThreads) -> session.submit(log.getFileName().toString().replaceFirst(
          "\\.log$", ""), children.process(arguments, log, runThreads));
      console.println("On " + session.describe() + ": each run is one Spark task");
    }
    Map<String, Object> environment = environment(file.getParent());
    if (cluster != null) {
      environment.put("cluster", cluster.describe());
    }
    SweepRunner runner = new SweepRunner(sweep, parsedBaseline, slots, threads, launcher, console, environment);
    // Ctrl-C reaches the runs of this machine from the terminal by itself; SIGTERM, and any signal for runs on a
    // cluster, is passed on to them.
    boolean remote = cluster != null && !cluster.local();
    Interrupts.onSignal(() -> runner.stop(remote || Interrupts.exitCode() == Interrupts.SIGTERM_EXIT));
    try {
      SweepRunner.Result result = runner.run(out == null ? RunFolder.DEFAULT_PARENT : out);
      if (cluster != null && cluster.retried() > 0) {
        console.println("Spark ran " + cluster.retried() + " failed task" + (cluster.retried() == 1 ? "" : "s")
            + " again (see the lines above and the runs' logs)");
      }
      return result;
    } finally {
      Interrupts.clear();
    }
  }

  /** The versions, plugin versions, commit and machine for {@code sweep.json}. */
  private Map<String, Object> environment(Path scriptDir) {
    Map<String, Object> env = new LinkedHashMap<>();
    Map<String, Object> versions = new LinkedHashMap<>();
    for (String line : new RegimenCommand.Version().getVersion()) {
      versions.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
    }
    env.put("versions", versions);
    List<Map<String, Object>> pluginVersions = new ArrayList<>();
    try (PluginHost host = plugins.load()) {
      for (PluginInfo p : host.plugins()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("version", p.version());
        m.put("file", p.file().getFileName().toString());
        pluginVersions.add(m);
      }
    }
    env.put("plugin_versions", pluginVersions);
    env.put("commit", Provenance.commit(scriptDir));
    env.put("machine", Provenance.machine());
    return env;
  }
}
