package dev.regimen.core.sweep;

import dev.regimen.core.run.RunFolder;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.run.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Runs a sweep into its folder: every point of the {@link SweepSpec} as a run of its own, {@code jobs}
 * at a time, then the tables ({@link SweepTables}) and the report ({@link SweepReport}).
 *
 * <pre>
 * runs/quickstart-sweep-20261207-113000/
 *   sweep.json        the grid, seeds, versions, machine, commit; each run's status and wall time ({@link SweepRecord})
 *   summary.csv       per configuration and final metric: n, mean, std, 95% t interval ({@link SweepTables})
 *   differences.csv   paired differences against each configuration's baseline, same seeds
 *   runs.csv          every run's final metrics
 *   report.html       the tables, the final metrics with interval whiskers, the mean curves with bands
 *   plots/            those figures as PNG
 *   logs/&lt;point&gt;.log  each run's console output
 *   runs/&lt;script&gt;-&lt;time&gt;/   each run's own run folder, as regimen run writes it
 * </pre>
 *
 * <p><b>Continuing.</b> A sweep started with the same spec (script and its content, {@code --set},
 * grid, seeds, plugins, sandbox) as one under the same parent folder continues the newest such folder:
 * a point whose run folder says {@code finished} is skipped, one that says {@code interrupted} (or
 * {@code running}: its process was killed) is resumed with {@code regimen resume}, and one that failed
 * or never started runs afresh. A run folder is matched to its point by the {@code --set} values and
 * seed in its {@code run.json}.
 *
 * <p><b>Failures.</b> A run that fails is recorded with its error line (the script's file, line and
 * message, from its log) in {@code sweep.json}, {@code runs.csv} and the report, and counts as missing
 * in the summary ({@code n} is smaller); the sweep goes on. A grid key that the first finished run did
 * not read with {@code rg.param} is a mistake (every run would compute the same): the sweep stops and
 * says so.
 *
 * <p><b>Stopping.</b> {@link #stop(boolean)} (the CLI calls it on Ctrl-C or SIGTERM) starts no further
 * run, optionally asks the running ones to stop (a terminal's Ctrl-C reaches them by itself), waits
 * for them, and still writes the record, the tables and the report of what finished.
 */
public final class SweepRunner {
  private final SweepSpec spec;
  private final Map<String, String> baseline;
  private final int jobs;
  private final int threads;
  private final RunLauncher launcher;
  private final PrintWriter out;
  private final Map<String, Object> environment;
  private final Set<RunLauncher.Running> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private volatile boolean stopRuns;
  private volatile String problem;
  private boolean keysChecked;

  /**
   * @param baseline the baseline keys and values ({@link Grid#baseline})
   * @param jobs runs at a time
   * @param threads native math threads per run
   * @param environment the versions, plugin versions, commit and machine for {@code sweep.json}
   */
  public SweepRunner(SweepSpec spec, Map<String, String> baseline, int jobs, int threads, RunLauncher launcher,
      PrintWriter out, Map<String, Object> environment) {
    if (jobs < 1 || threads < 1) {
      throw new IllegalArgumentException("jobs and threads must be at least 1: " + jobs + ", " + threads);
    }
    this.spec = Objects.requireNonNull(spec, "spec");
    this.baseline = Map.copyOf(baseline);
    this.jobs = jobs;
    this.threads = threads;
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.out = Objects.requireNonNull(out, "out");
    this.environment = new LinkedHashMap<>(environment);
  }

  /**
   * How a sweep ended.
   *
   * @param folder the sweep folder
   * @param record its final {@code sweep.json}
   * @param tables its tables
   * @param report its report page
   * @param problem a mistake found while running (a grid key the script does not read), or {@code null}
   * @param interrupted whether {@link #stop} ended it
   */
  public record Result(Path folder, SweepRecord record, SweepTables tables, Path report, String problem,
      boolean interrupted) {
    /** How many runs ended so. */
    public long count(RunOutcome.Status status) {
      return record.runs().stream().filter(e -> e.status() == status).count();
    }
  }

  /** The state of one point while the sweep runs. */
  private static final class PointState {
    final SweepSpec.Point point;
    RunOutcome outcome;
    Integer exit;
    Path log;
    /** The newest run folder of this point before the sweep started it, or null. */
    Path earlier;
    boolean resume;

    PointState(SweepSpec.Point point) {
      this.point = point;
    }
  }

  /** Stops the sweep: no further run starts; with {@code runs}, the running ones are asked to stop too. */
  public void stop(boolean runs) {
    stopping = true;
    if (runs) {
      stopRuns = true;
      running.forEach(RunLauncher.Running::stop);
    }
  }

  /** Runs the sweep in the folder of its spec under {@code parent} (continued or new). */
  public Result run(Path parent) throws IOException {
    Path folder = folderFor(parent.toAbsolutePath().normalize(), spec);
    Path runsDir = folder.resolve("runs");
    Path logs = folder.resolve("logs");
    Files.createDirectories(runsDir);
    Files.createDirectories(logs);
    SweepRecord previous = SweepRecord.isSweep(folder) ? SweepRecord.read(folder) : null;
    Instant started = previous != null ? previous.started() : Instant.now();
    Map<String, Double> earlierWall = new LinkedHashMap<>();
    if (previous != null) {
      previous.runs().forEach(e -> earlierWall.put(new SweepSpec.Point(e.config(), e.seed()).id(), e.wallSeconds()));
    }

    Map<List<Object>, Path> existing = scan(runsDir);
    List<PointState> states = new ArrayList<>();
    List<PointState> pending = new ArrayList<>();
    int reused = 0;
    int resumed = 0;
    for (SweepSpec.Point point : spec.points()) {
      PointState state = new PointState(point);
      state.log = logs.resolve(point.id() + ".log");
      states.add(state);
      Path found = existing.get(key(spec.sets(point), point.seed()));
      state.earlier = found;
      if (found != null) {
        String status = RunSettings.read(found).status();
        if (RunSettings.FINISHED.equals(status)) {
          state.outcome = RunOutcome.read(found, earlierWall.getOrDefault(point.id(), Double.NaN));
          reused++;
          continue;
        }
        if (RunSettings.INTERRUPTED.equals(status) || RunSettings.RUNNING.equals(status)) {
          state.resume = true;
          resumed++;
        }
      }
      state.outcome = RunOutcome.without(point.seed(), RunOutcome.Status.NOT_RUN, null, Double.NaN, null);
      pending.add(state);
    }

    int total = states.size();
    out.println("Sweep folder: " + folder);
    out.println(total + " runs: " + spec.grid().configs().size() + " configuration"
        + (spec.grid().configs().size() == 1 ? "" : "s") + " x " + spec.seeds().size() + " seed"
        + (spec.seeds().size() == 1 ? "" : "s") + ", " + jobs + " at a time with " + threads + " thread"
        + (threads == 1 ? "" : "s") + " each" + (reused > 0 ? "; " + reused + " already finished" : "")
        + (resumed > 0 ? "; " + resumed + " to resume" : ""));
    out.flush();
    write(folder, states, started, SweepRecord.RUNNING);
    states.stream().filter(s -> s.outcome.status() == RunOutcome.Status.FINISHED).findFirst()
        .ifPresent(s -> checkKeys(s.outcome));

    ExecutorService pool = Executors.newFixedThreadPool(jobs, task -> {
      Thread t = new Thread(task, "regimen-sweep");
      t.setDaemon(true);
      return t;
    });
    CompletionService<PointState> done = new ExecutorCompletionService<>(pool);
    for (PointState state : pending) {
      done.submit(() -> execute(state, runsDir));
    }
    int count = reused;
    List<Double> walls = new ArrayList<>();
    try {
      for (int i = 0; i < pending.size(); i++) {
        PointState state;
        try {
          state = done.take().get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException("A sweep run could not be managed: " + e.getCause(), e.getCause());
        }
        RunOutcome o = state.outcome;
        if (o.status() == RunOutcome.Status.NOT_RUN) {
          continue;
        }
        if (!Double.isNaN(o.wallSeconds())) {
          walls.add(o.wallSeconds());
        }
        count++;
        out.println(progress(count, total, state, folder, walls));
        out.flush();
        write(folder, states, started, SweepRecord.RUNNING);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(true);
    } finally {
      pool.shutdownNow();
    }

    boolean interrupted = stopping && problem == null;
    long failed = states.stream().filter(s -> s.outcome.status() == RunOutcome.Status.FAILED).count();
    boolean unfinished = states.stream().anyMatch(s -> s.outcome.status() == RunOutcome.Status.INTERRUPTED
        || s.outcome.status() == RunOutcome.Status.NOT_RUN);
    String status = stopping || unfinished ? SweepRecord.INTERRUPTED
        : failed > 0 ? SweepRecord.FINISHED_WITH_FAILURES : SweepRecord.FINISHED;
    SweepRecord record = write(folder, states, started, status);
    SweepTables tables = SweepTables.of(groups(states), baseline);
    tables.write(folder);
    Path report = SweepReport.forSweep(folder, record, tables).write();
    return new Result(folder, record, tables, report, problem, interrupted);
  }

  /** Runs one point (in a pool thread); a point not started because the sweep stopped stays not run. */
  private PointState execute(PointState state, Path runsDir) throws IOException, InterruptedException {
    if (stopping) {
      return state;
    }
    List<String> args = state.resume ? List.of("resume", state.earlier.toString(), "--no-progress")
        : spec.runArguments(state.point, runsDir);
    Files.writeString(state.log, "== " + Instant.now() + " regimen " + String.join(" ", args) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long start = System.nanoTime();
    RunLauncher.Running run;
    try {
      run = launcher.start(args, state.log, threads);
    } catch (IOException e) {
      state.outcome = RunOutcome.without(state.point.seed(), RunOutcome.Status.FAILED, "could not start the run: "
          + e.getMessage(), Double.NaN, null);
      return state;
    }
    running.add(run);
    if (stopRuns) {
      run.stop();
    }
    int exit;
    try {
      exit = run.waitFor();
    } finally {
      running.remove(run);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    state.exit = exit;
    state.outcome = outcome(state, runsDir, exit, wall, run.missingFolderHint());
    if (state.outcome.status() == RunOutcome.Status.FINISHED) {
      checkKeys(state.outcome); // here, before this thread takes the next point
    }
    return state;
  }

  /**
   * What a finished process left: its run folder's status, or the error line of its log.
   *
   * @param hint why the folder may be missing although the run made one ({@link RunLauncher.Running#missingFolderHint})
   */
  private RunOutcome outcome(PointState state, Path runsDir, int exit, double wall, String hint) throws IOException {
    Path folder = state.resume ? state.earlier : scan(runsDir).get(key(spec.sets(state.point), state.point.seed()));
    if (folder != null && folder.equals(state.earlier) && !state.resume) {
      folder = null; // the newest is an earlier attempt's: this one made none
    }
    long seed = state.point.seed();
    if (folder == null) {
      if (stopping && (exit == 130 || exit == 143)) {
        // Stopped with the sweep before it made a run folder: it did not run, and runs when the sweep continues.
        return RunOutcome.without(seed, RunOutcome.Status.NOT_RUN, null, Double.NaN, null);
      }
      String error = exit == 0 ? "the run ended with exit 0, but no run folder of it is in " + runsDir
          : errorLine(state.log, exit);
      return RunOutcome.without(seed, RunOutcome.Status.FAILED, hint == null ? error : error + " (" + hint + ")", wall,
          null);
    }
    if (RunSettings.RUNNING.equals(RunSettings.read(folder).status())) {
      // The process died (killed, out of memory, a second Ctrl-C) before it could write how it ended.
      boolean signal = exit == 130 || exit == 143;
      return signal ? RunOutcome.without(seed, RunOutcome.Status.INTERRUPTED, null, wall, folder)
          : RunOutcome.without(seed, RunOutcome.Status.FAILED, errorLine(state.log, exit), wall, folder);
    }
    return RunOutcome.read(folder, wall);
  }

  /** The last {@code error: } line of a run's log (its file, line and message), else the exit code. */
  static String errorLine(Path log, int exit) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("error: ")) {
        return line.substring("error: ".length());
      }
      if (line.startsWith("== ")) {
        break; // an earlier attempt's
      }
    }
    return "exit " + exit + (exit == 137 ? " (killed: out of memory?)" : "") + " without an error message";
  }

  /**
   * A grid key that the first finished run never read is a mistake that makes every run the same: stop
   * and say so. Checks once.
   */
  private synchronized void checkKeys(RunOutcome finished) {
    if (keysChecked || finished.folder() == null) {
      return;
    }
    keysChecked = true;
    Map<String, Object> params = RunResults.read(finished.folder()).map(RunResults::params).orElse(null);
    if (params == null) {
      return;
    }
    List<String> unread = spec.grid().keys().stream().filter(k -> !params.containsKey(k)).toList();
    if (!unread.isEmpty()) {
      List<String> asked = params.keySet().stream().filter(k -> !k.equals("smoke")).toList();
      problem = "--grid " + String.join(", ", unread) + ": the script never reads parameter"
          + (unread.size() == 1 ? " '" + unread.get(0) + "'" : "s " + unread) + " with rg.param ("
          + (asked.isEmpty() ? "it reads none" : "it reads: " + String.join(", ", asked))
          + "), so every run would compute the same; the sweep stopped";
      stop(true);
    }
  }

  private String progress(int count, int total, PointState state, Path folder, List<Double> walls) {
    RunOutcome o = state.outcome;
    StringBuilder line = new StringBuilder("[").append(count).append('/').append(total).append("] ")
        .append(state.point.label()).append(": ");
    String took = Double.isNaN(o.wallSeconds()) ? "" : " in " + duration(o.wallSeconds());
    switch (o.status()) {
      case FINISHED -> line.append("finished").append(took);
      case INTERRUPTED -> line.append("interrupted").append(took);
      default -> line.append("FAILED").append(took).append(": ").append(o.error()).append(" (log: ")
          .append(folder.relativize(state.log)).append(')');
    }
    int left = total - count;
    if (left > 0 && !walls.isEmpty() && !stopping) {
      double mean = walls.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      line.append("; about ").append(duration(Math.ceil((double) left / jobs) * mean)).append(" left");
    }
    return line.toString();
  }

  static String duration(double seconds) {
    if (seconds < 60) {
      return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    return s < 3600 ? String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  private synchronized SweepRecord write(Path folder, List<PointState> states, Instant started, String status)
      throws IOException {
    List<SweepRecord.Entry> entries = new ArrayList<>();
    for (PointState s : states) {
      RunOutcome o = s.outcome;
      Path runFolder = o.folder() != null ? o.folder() : s.resume ? s.earlier : null;
      entries.add(new SweepRecord.Entry(s.point.config(), s.point.seed(), o.status(),
          runFolder == null ? null : slashes(folder.relativize(runFolder)), o.wallSeconds(), s.exit, o.error(),
          Files.exists(s.log) ? slashes(folder.relativize(s.log)) : null));
    }
    SweepRecord record = new SweepRecord(spec, baseline, jobs, threads, started, Instant.now(), status, environment,
        entries);
    record.write(folder);
    return record;
  }

  private List<SweepTables.Group> groups(List<PointState> states) {
    List<SweepTables.Group> groups = new ArrayList<>();
    for (Grid.Config config : spec.grid().configs()) {
      List<RunOutcome> runs = states.stream().filter(s -> s.point.config().equals(config)).map(s -> s.outcome).toList();
      groups.add(new SweepTables.Group(config.label(), config, runs));
    }
    return groups;
  }

  /**
   * The folder of a sweep under {@code parent}: the newest {@code <script>-sweep-<time>} whose
   * {@code sweep.json} has the same spec, else a new one.
   */
  static Path folderFor(Path parent, SweepSpec spec) throws IOException {
    String base = RunFolder.baseName(spec.script().getFileName().toString()) + "-sweep";
    if (Files.isDirectory(parent)) {
      List<Path> candidates;
      try (Stream<Path> list = Files.list(parent)) {
        candidates = list.filter(p -> p.getFileName().toString().startsWith(base + "-") && SweepRecord.isSweep(p))
            .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
      }
      for (Path candidate : candidates) {
        try {
          if (SweepRecord.read(candidate).spec().equals(spec)) {
            return candidate;
          }
        } catch (IllegalArgumentException unreadable) {
          // Not one of ours (or damaged): a new sweep folder it is.
        }
      }
    }
    return RunFolder.createStamped(parent, base, LocalDateTime.now());
  }

  /** The run folders under {@code runsDir} by their {@code --set} values and seed, the newest of each. */
  private static Map<List<Object>, Path> scan(Path runsDir) throws IOException {
    Map<List<Object>, Path> newest = new LinkedHashMap<>();
    Map<List<Object>, Instant> when = new LinkedHashMap<>();
    if (!Files.isDirectory(runsDir)) {
      return newest;
    }
    List<Path> folders;
    try (Stream<Path> list = Files.list(runsDir)) {
      folders = list.filter(p -> Files.isRegularFile(p.resolve(RunFolder.RUN_JSON))).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path f : folders) {
      RunSettings s;
      try {
        s = RunSettings.read(f);
      } catch (IllegalArgumentException damaged) {
        continue;
      }
      List<Object> key = key(s.sets(), s.seed() == null ? null : s.seed());
      Instant previous = when.get(key);
      if (previous == null || !s.started().isBefore(previous)) {
        newest.put(key, f);
        when.put(key, s.started());
      }
    }
    return newest;
  }

  private static List<Object> key(List<String> sets, Long seed) {
    return List.of(List.copyOf(sets), seed == null ? "default" : seed);
  }

  private static String slashes(Path relative) {
    return relative.toString().replace('\\', '/');
  }
}
