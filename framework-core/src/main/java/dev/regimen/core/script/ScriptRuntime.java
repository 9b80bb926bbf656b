package dev.regimen.core.script;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Trainer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Value;

/**
 * The state of one script run that the API objects share: the options, the registry, the file
 * policy, the parameters asked for, the trainings run, the trainers running now, and whether the run
 * was interrupted.
 */
final class ScriptRuntime {
  /** The seed of trainers and splits when neither the script nor the options give one. */
  static final long DEFAULT_SEED = 42;

  private final Path script;
  private final ScriptLanguage language;
  private final RunOptions options;
  private final ComponentRegistry registry;
  private final FileAccess files;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean smoke;
  private final Map<String, Object> usedParams = new LinkedHashMap<>();
  private final List<TrainingRecord> trainings = Collections.synchronizedList(new ArrayList<>());
  private final List<EvaluationRecord> evaluations = Collections.synchronizedList(new ArrayList<>());
  private final Set<Trainer> running = ConcurrentHashMap.newKeySet();
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> sweepNames = new LinkedHashSet<>();
  private volatile boolean interrupted;
  private int trainerCount;
  private volatile Long pointSeed;
  private String pointName;
  private int pointTrainers;
  private Throwable lastHostError;

  ScriptRuntime(Path script, ScriptLanguage language, RunOptions options, PrintStream out, PrintStream err) {
    this.script = script;
    this.language = language;
    this.options = options;
    this.registry = options.registry() != null ? options.registry() : builtIns();
    this.out = out;
    this.err = err;
    List<Path> runDirs = new ArrayList<>();
    runDirs.add(options.runDir());
    runDirs.add(options.effectiveCheckpointsDir());
    this.files = FileAccess.of(script.getParent(), options.dataDirs(), runDirs, options.allowHostAccess());
    String smokeParam = options.params().get("smoke");
    this.smoke = options.smoke() || (smokeParam != null && parseBoolean("smoke", smokeParam));
  }

  private static ComponentRegistry builtIns() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(PluginHost.builtInFactories(), PluginHost.BUILT_IN);
    return registry;
  }

  Path script() {
    return script;
  }

  ScriptLanguage language() {
    return language;
  }

  RunOptions options() {
    return options;
  }

  ComponentRegistry registry() {
    return registry;
  }

  FileAccess files() {
    return files;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  boolean smoke() {
    return smoke;
  }

  /**
   * The seed of trainers, splits and predictions that do not name one: the run's, or during a call of
   * an {@code rg.sweep} function, that run's seed.
   */
  long seed() {
    Long sweepSeed = pointSeed;
    if (sweepSeed != null) {
      return sweepSeed;
    }
    return options.seed() != null ? options.seed() : DEFAULT_SEED;
  }

  /**
   * The next default trainer name: {@code train-1}, {@code train-2}, ...; during an {@code rg.sweep}
   * run, its point's name ({@code rate-0.5-seed2}, then {@code rate-0.5-seed2-2}...), so that its
   * files and report section say which run it was.
   */
  synchronized String nextTrainerName() {
    trainerCount++;
    if (pointName != null) {
      pointTrainers++;
      return pointTrainers == 1 ? pointName : pointName + "-" + pointTrainers;
    }
    return "train-" + trainerCount;
  }

  /**
   * Runs {@code body} as one run of an {@code rg.sweep}: with {@code seed} as the default seed and
   * {@code name} in front of default trainer names.
   */
  <T> T asSweepPoint(String name, long seed, java.util.function.Supplier<T> body) {
    synchronized (this) {
      pointName = name;
      pointTrainers = 0;
    }
    pointSeed = seed;
    try {
      return body.get();
    } finally {
      pointSeed = null;
      synchronized (this) {
        pointName = null;
      }
    }
  }

  // ------------------------------------------------------------------ parameters

  /**
   * A parameter's value: the {@code --set} override converted to the type of the default, else the
   * default. {@code pythonType} is the default's Python type name ({@code int}, {@code float},
   * {@code bool}, {@code str}), since Python tells 5 from 5.0 and JavaScript does not.
   */
  synchronized Object param(String name, Value defaultValue, String pythonType) {
    if (name == null || name.isBlank()) {
      throw new ScriptApiException("rg.param needs a parameter name, e.g. rg.param('epochs', 5)");
    }
    String raw = options.params().get(name);
    Object value;
    if (name.equals("smoke")) {
      value = smoke;
    } else if (defaultValue == null || defaultValue.isNull()) {
      value = raw;
    } else if (raw == null) {
      value = Values.toJava(defaultValue, false);
    } else if (defaultValue.isBoolean() || "bool".equals(pythonType)) {
      value = parseBoolean(name, raw);
    } else if (defaultValue.isNumber()) {
      boolean integer = "int".equals(pythonType);
      value = parseNumber(name, raw, integer, Values.toJava(defaultValue, false));
    } else if (defaultValue.isString()) {
      value = raw;
    } else {
      throw new ScriptApiException("rg.param('" + name + "', ...) takes a number, a boolean or a string as its default."
          + " Received: " + defaultValue);
    }
    usedParams.put(name, value);
    return value;
  }

  private static boolean parseBoolean(String name, String raw) {
    switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1":
        return true;
      case "false", "no", "off", "0":
        return false;
      default:
        throw new ScriptApiException("Parameter '" + name + "' is a boolean (true or false). Received: " + name + "="
            + raw);
    }
  }

  private static Object parseNumber(String name, String raw, boolean integer, Object defaultValue) {
    double d;
    try {
      d = Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      throw new ScriptApiException("Parameter '" + name + "' is a number (its default is " + defaultValue
          + "). Received: " + name + "=" + raw);
    }
    boolean whole = d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) <= Long.MAX_VALUE;
    if (integer && !whole) {
      throw new ScriptApiException("Parameter '" + name + "' is an integer (its default is " + defaultValue
          + "). Received: " + name + "=" + raw);
    }
    if (whole && (integer || !raw.contains(".") && !raw.toLowerCase(Locale.ROOT).contains("e"))) {
      long l = (long) d;
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    return d;
  }

  /** Every parameter asked for, with the value it got. */
  synchronized Map<String, Object> usedParams() {
    return new LinkedHashMap<>(usedParams);
  }

  /** Warnings for {@code --set} keys the script never asked for. */
  synchronized List<String> unusedParamWarnings() {
    List<String> out = new ArrayList<>();
    Set<String> asked = new LinkedHashSet<>(usedParams.keySet());
    for (Map.Entry<String, String> e : options.params().entrySet()) {
      if (!asked.contains(e.getKey()) && !e.getKey().equals("smoke")) {
        out.add("--set " + e.getKey() + "=" + e.getValue() + " was not used: the script never asked for parameter '"
            + e.getKey() + "'" + (asked.isEmpty() ? "" : " (it asked for: " + String.join(", ", asked) + ")"));
      }
    }
    return out;
  }

  /** A name for a sweep's folder in the run folder: {@code name}, or {@code name-2}... if taken. */
  synchronized String claimSweepName(String name) {
    String out = name;
    for (int k = 2; !sweepNames.add(out); k++) {
      out = name + "-" + k;
    }
    return out;
  }

  synchronized void warn(String message) {
    warnings.add(message);
  }

  synchronized List<String> warnings() {
    return new ArrayList<>(warnings);
  }

  // ------------------------------------------------------------------ components

  /**
   * Makes a component through the registry (so plugin components work like built-ins): an unknown
   * name lists close names, an unknown option the known ones, a bad value is echoed.
   *
   * @param options snake_case options as the script gave them; handles are unwrapped here
   */
  @SuppressWarnings("unchecked")
  ScriptComponent component(ComponentKind kind, String name, Map<String, Object> options) {
    checkNotInterrupted();
    if (name == null || name.isBlank()) {
      throw new ScriptApiException("A " + kind.id() + " needs a name, e.g. one of: " + String.join(", ",
          registry.entries(kind).stream().map(e -> e.factory().name()).toList()));
    }
    Object made = registry.create(kind, name, (Map<String, Object>) Values.unwrap(options));
    Map<String, Object> described = new LinkedHashMap<>();
    for (OptionSpec spec : registry.factory(kind, name).options()) {
      if (spec.defaultValue() != null) {
        described.put(spec.name(), spec.defaultValue());
      }
    }
    options.forEach((k, v) -> described.put(Values.snakeCase(k), describeOption(v)));
    return new ScriptComponent(kind, name, described, made);
  }

  /** An option value as a record shows it: plain data, with layers and functions named. */
  static Object describeOption(Object v) {
    if (v instanceof ScriptModel m) {
      return "layer " + m.type();
    }
    if (v instanceof ScriptComponent c) {
      return c.describe();
    }
    if (v instanceof Value value) {
      return value.canExecute() ? "function " + Values.functionName(value, "") : value.toString();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), describeOption(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object x : list) {
        out.add(describeOption(x));
      }
      return out;
    }
    if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }

  // ------------------------------------------------------------------ trainings

  void recordTraining(TrainingRecord record) {
    trainings.add(record);
  }

  List<TrainingRecord> trainings() {
    synchronized (trainings) {
      return new ArrayList<>(trainings);
    }
  }

  void recordEvaluation(EvaluationRecord record) {
    evaluations.add(record);
  }

  List<EvaluationRecord> evaluations() {
    synchronized (evaluations) {
      return new ArrayList<>(evaluations);
    }
  }

  /** Marks a trainer as running, so that an interrupt reaches it; fails if the run is already interrupted. */
  void started(Trainer trainer) {
    running.add(trainer);
    if (interrupted) {
      trainer.interrupt();
    }
  }

  void finished(Trainer trainer) {
    running.remove(trainer);
    synchronized (running) {
      running.notifyAll();
    }
  }

  // ------------------------------------------------------------------ interrupts

  /** Asks every running trainer to stop at the next batch boundary; later API calls fail. */
  void interrupt() {
    interrupted = true;
    for (Trainer t : running) {
      t.interrupt();
    }
  }

  boolean interrupted() {
    return interrupted;
  }

  /** Waits until no trainer runs, at most {@code millis}; true if none runs. */
  boolean awaitTrainers(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (running) {
      while (!running.isEmpty()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        running.wait(Math.min(left, 100));
      }
    }
    return true;
  }

  /** Every API call starts here: after an interrupt the script is stopped rather than let go on. */
  void checkNotInterrupted() {
    if (interrupted) {
      throw new ScriptInterruptedException();
    }
  }

  // ------------------------------------------------------------------ Python errors

  /** Remembers the Java exception behind a Python {@code RegimenError}, for {@link ScriptException#getCause()}. */
  synchronized void hostError(Throwable t) {
    lastHostError = t;
  }

  synchronized Throwable lastHostError() {
    return lastHostError;
  }

  static PrintStream print(java.io.OutputStream stream) {
    return stream instanceof PrintStream p ? p : new PrintStream(stream, true, StandardCharsets.UTF_8);
  }
}
