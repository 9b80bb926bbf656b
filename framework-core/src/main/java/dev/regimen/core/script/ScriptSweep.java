package dev.regimen.core.script;

import dev.regimen.api.train.History;
import dev.regimen.core.run.HistoryFiles;
import dev.regimen.core.run.RunRecorder;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.sweep.Grid;
import dev.regimen.core.sweep.RunOutcome;
import dev.regimen.core.sweep.Statistics;
import dev.regimen.core.sweep.SweepReport;
import dev.regimen.core.sweep.SweepTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * {@code rg.sweep(fn, {grid, seeds, baseline, name})}: a sweep inside one script, for experiments that
 * build several models per run or share data loaded once. The function is called once per grid point
 * and seed, seed by seed, as {@code fn(config, seed)} with the point's values (as given, numbers stay
 * numbers) and its seed; while it runs, the seed is the default of every trainer, split and prediction
 * that names none ({@code rg.seed()} returns it) and trainers without a name are named after the point
 * ({@code rate-0.5-seed2}). A run's results are the final metrics of the trainings and evaluations
 * made in the call, by the rule of {@code results.json} ({@link RunResults#metrics()}: the first
 * training's by name, evaluations as {@code test_accuracy}), plus the numbers the function returns
 * (an object of numbers, e.g. what {@code trainer.evaluate} gives, or anything it measured itself).
 *
 * <p>A call that throws is recorded as a failed run with its error (file, line, message) and the sweep
 * goes on; an interrupt (Ctrl-C) stops the script as usual. The summary is that of
 * {@code regimen sweep} ({@link SweepTables}, {@link Statistics}): per configuration and metric n, mean,
 * standard deviation and 95% t interval, and the paired differences against the baseline (default:
 * the first value of every key). In a run folder the sweep writes {@code sweep-<name>/} with
 * {@code summary.csv}, {@code differences.csv}, {@code runs.csv}, {@code report.html} and its figures.
 *
 * <p>Returns {@code {name, runs: [{config, seed, status, error, metrics, seconds}], summary: [{config,
 * metric, n, mean, std, ci95_low, ci95_high}], differences: [{config, baseline, metric, ...}], folder,
 * report}}; {@code std} and the interval are null with fewer than two runs.
 */
final class ScriptSweep {
  static final List<String> OPTIONS = List.of("grid", "seeds", "baseline", "name");

  private ScriptSweep() {}

  static Object run(ScriptRuntime runtime, Value fn, Map<String, Object> opts) {
    if (fn == null || !fn.canExecute()) {
      throw new ScriptApiException("rg.sweep takes the function of one run first, (config, seed) => {...}, then its "
          + "options. Received: " + fn);
    }
    for (String key : opts.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new ScriptApiException("Unknown option '" + key + "' for rg.sweep. Known options: "
            + String.join(", ", OPTIONS));
      }
    }
    Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    Grid grid = grid(opts.get("grid"), values);
    List<Long> seeds = seeds(opts.get("seeds"));
    Map<String, String> baseline = baseline(grid, opts.get("baseline"));
    Object nameOption = opts.getOrDefault("name", "sweep");
    if (!(nameOption instanceof String name) || name.isBlank()) {
      throw new ScriptApiException("Option 'name' of rg.sweep must be a non-empty string. Received: name="
          + Values.describe(nameOption));
    }

    Instant started = Instant.now();
    List<Grid.Config> configs = grid.configs();
    Map<Grid.Config, List<RunOutcome>> outcomes = new LinkedHashMap<>();
    configs.forEach(c -> outcomes.put(c, new ArrayList<>()));
    List<Object> runs = new ArrayList<>();
    int total = configs.size() * seeds.size();
    int done = 0;
    for (long seed : seeds) {
      for (Grid.Config config : configs) {
        runtime.checkNotInterrupted();
        Map<String, Object> point = new LinkedHashMap<>();
        config.values().forEach((k, v) -> point.put(k, values.get(k).get(v)));
        String pointName = (config.values().isEmpty() ? "" : config.fileLabel() + "-") + "seed" + seed;
        RunOutcome outcome = call(runtime, fn, point, seed, pointName);
        outcomes.get(config).add(outcome);
        done++;
        runtime.out().println("[" + done + "/" + total + "] " + name + ": "
            + (config.values().isEmpty() ? "" : config.label() + " ") + "seed=" + seed + ": "
            + (outcome.status() == RunOutcome.Status.FINISHED ? "finished" : "FAILED: " + outcome.error())
            + String.format(Locale.ROOT, " (%.1f s)", outcome.wallSeconds()));
        runtime.out().flush();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("config", point);
        run.put("seed", seed);
        run.put("status", outcome.status().id());
        run.put("error", outcome.error());
        run.put("metrics", new LinkedHashMap<String, Object>(outcome.metrics()));
        run.put("seconds", outcome.wallSeconds());
        runs.add(run);
      }
    }

    List<SweepTables.Group> groups = new ArrayList<>();
    outcomes.forEach((config, list) -> groups.add(new SweepTables.Group(config.label(), config, list)));
    SweepTables tables = SweepTables.of(groups, baseline);
    Path folder = null;
    Path report = null;
    Path runDir = runtime.options().runDir();
    if (runDir != null) {
      try {
        folder = Files.createDirectories(runDir.resolve(runtime.claimSweepName("sweep-" + RunRecorder.fileLabel(name))));
        tables.write(folder);
        report = SweepReport.forScript(folder, runtime.script().getFileName() + ": " + name, grid, seeds, baseline,
            tables, started, Instant.now()).write();
      } catch (IOException e) {
        throw new UncheckedIOException("rg.sweep could not write its results into " + runDir + ": " + e.getMessage(), e);
      }
      runtime.out().println("Sweep '" + name + "': " + total + " runs, " + outcomes.values().stream()
          .flatMap(List::stream).filter(o -> o.status() == RunOutcome.Status.FAILED).count() + " failed; report: "
          + report);
      runtime.out().flush();
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("runs", runs);
    List<Object> summary = new ArrayList<>();
    for (SweepTables.Row r : tables.summary()) {
      summary.add(row(r.config(), null, r.metric(), r.stats()));
    }
    out.put("summary", summary);
    List<Object> differences = new ArrayList<>();
    for (SweepTables.Difference d : tables.differences()) {
      differences.add(row(d.config(), d.baseline(), d.metric(), d.stats()));
    }
    out.put("differences", differences);
    out.put("folder", folder == null ? null : folder.toString());
    out.put("report", report == null ? null : report.toString());
    return Values.toGuest(out);
  }

  /** One call of the function: its results, or why it failed. */
  private static RunOutcome call(ScriptRuntime runtime, Value fn, Map<String, Object> point, long seed,
      String pointName) {
    int trainingsBefore = runtime.trainings().size();
    int evaluationsBefore = runtime.evaluations().size();
    long start = System.nanoTime();
    Value returned;
    try {
      returned = runtime.asSweepPoint(pointName, seed, () -> fn.execute(Values.toGuest(point), seed));
    } catch (PolyglotException e) {
      if (runtime.interrupted() || e.isInterrupted() || e.isCancelled() || e.isExit()
          || (e.isHostException() && e.asHostException() instanceof ScriptInterruptedException)) {
        throw e;
      }
      String error = ScriptRunner.translate(e, runtime, runtime.script()).getMessage();
      return RunOutcome.without(seed, RunOutcome.Status.FAILED, error, (System.nanoTime() - start) / 1e9, null);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<TrainingRecord> trainings = runtime.trainings();
    List<EvaluationRecord> evaluations = runtime.evaluations();
    List<RunResults.Training> madeTrainings = new ArrayList<>();
    for (TrainingRecord t : trainings.subList(trainingsBefore, trainings.size())) {
      madeTrainings.add(new RunResults.Training(t.name(), t.history().epochs(), t.keptEpoch(), t.finalMetrics()));
    }
    List<RunResults.Evaluation> madeEvaluations = new ArrayList<>();
    for (EvaluationRecord e : evaluations.subList(evaluationsBefore, evaluations.size())) {
      madeEvaluations.add(new RunResults.Evaluation(e.trainer(), e.data(), e.samples(), e.metrics()));
    }
    Map<String, Double> metrics = new LinkedHashMap<>(new RunResults(Map.of(), madeTrainings, madeEvaluations)
        .metrics());
    metrics.putAll(returnedNumbers(returned));
    History history = trainingsBefore < trainings.size() ? trainings.get(trainingsBefore).history() : new History();
    return new RunOutcome(seed, RunOutcome.Status.FINISHED, null, metrics, history, seconds, null);
  }

  /** What the function returned: nothing, or numbers by name. */
  private static Map<String, Double> returnedNumbers(Value returned) {
    Map<String, Double> out = new LinkedHashMap<>();
    Object value = Values.toJava(returned, false);
    if (value == null) {
      return out;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new ScriptApiException("rg.sweep's function returns numbers by name (e.g. trainer.evaluate(model, "
          + "data.test)) or nothing. Received: " + Values.describe(value));
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof Number n)) {
        throw new ScriptApiException("rg.sweep's function returns numbers by name (e.g. trainer.evaluate(model, "
            + "data.test)) or nothing. Received: " + e.getKey() + "=" + Values.describe(e.getValue()));
      }
      out.put(String.valueOf(e.getKey()), n.doubleValue());
    }
    return out;
  }

  private static Map<String, Object> row(String config, String baseline, String metric, Statistics.Summary s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("config", config);
    if (baseline != null) {
      out.put("baseline", baseline);
    }
    out.put("metric", metric);
    out.put("n", s.n());
    out.put("mean", s.n() == 0 ? null : s.mean());
    out.put("std", s.n() < 2 ? null : s.std());
    out.put("ci95_low", s.n() < 2 ? null : s.ciLow());
    out.put("ci95_high", s.n() < 2 ? null : s.ciHigh());
    return out;
  }

  /** The grid option: key to a list of values (numbers, strings, booleans); {@code values} keeps them as given. */
  private static Grid grid(Object option, Map<String, Map<String, Object>> values) {
    if (option == null) {
      return new Grid(Map.of());
    }
    if (!(option instanceof Map<?, ?> map)) {
      throw new ScriptApiException("Option 'grid' of rg.sweep takes each key with its values, e.g. grid: {rate: [0, "
          + "0.5]}. Received: grid=" + Values.describe(option));
    }
    Map<String, List<String>> axes = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof List<?> list) || list.isEmpty()) {
        throw new ScriptApiException("Option 'grid' of rg.sweep takes a list of values for each key, e.g. {" + key
            + ": [0, 0.5]}. Received: " + key + "=" + Values.describe(e.getValue()));
      }
      Map<String, Object> byText = new LinkedHashMap<>();
      for (Object v : list) {
        if (!(v instanceof Number || v instanceof String || v instanceof Boolean)) {
          throw new ScriptApiException("rg.sweep's grid: " + key + " takes numbers, strings or booleans. Received: "
              + Values.describe(v));
        }
        if (byText.put(text(v), v) != null) {
          throw new ScriptApiException("rg.sweep's grid lists " + key + "=" + text(v) + " twice");
        }
      }
      axes.put(key, new ArrayList<>(byText.keySet()));
      values.put(key, byText);
    }
    return new Grid(axes);
  }

  private static List<Long> seeds(Object option) {
    if (!(option instanceof List<?> list) || list.isEmpty()) {
      throw new ScriptApiException("rg.sweep needs seeds: a list of integers, e.g. seeds: [1, 2, 3]. Received: seeds="
          + Values.describe(option));
    }
    Set<Long> seeds = new LinkedHashSet<>();
    for (Object s : list) {
      if (!(s instanceof Integer || s instanceof Long)) {
        throw new ScriptApiException("rg.sweep's seeds are integers. Received: " + Values.describe(s));
      }
      if (!seeds.add(((Number) s).longValue())) {
        throw new ScriptApiException("rg.sweep's seeds list " + s + " twice");
      }
    }
    return new ArrayList<>(seeds);
  }

  private static Map<String, String> baseline(Grid grid, Object option) {
    List<String> entries = new ArrayList<>();
    if (option != null) {
      if (!(option instanceof Map<?, ?> map)) {
        throw new ScriptApiException("Option 'baseline' of rg.sweep takes grid keys and values, e.g. baseline: {rate: 0}."
            + " Received: baseline=" + Values.describe(option));
      }
      map.forEach((k, v) -> entries.add(k + "=" + text(v)));
    }
    try {
      return grid.baseline(entries, "rg.sweep's baseline");
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException(e.getMessage());
    }
  }

  /** A grid value as labels and {@code --set} show it: 0.5, 1e-4 as 0.0001, true, a string as it is. */
  static String text(Object v) {
    if (v instanceof Double d) {
      return HistoryFiles.number(d);
    }
    return String.valueOf(v);
  }
}
