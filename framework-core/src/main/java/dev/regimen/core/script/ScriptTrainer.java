package dev.regimen.core.script;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.History;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.distributed.ComponentSpec;
import dev.regimen.core.distributed.DistributedEngines;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedTraining;
import dev.regimen.core.run.RunRecorder;
import dev.regimen.core.train.CheckpointPolicy;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.ParameterGroups;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingException;
import dev.regimen.core.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * {@code rg.trainer({...})}: the training options of a script, checked when the trainer is made, and
 * {@code fit} / {@code evaluate}. Each {@code fit} runs a {@link Trainer} and is recorded in the
 * run's {@link ScriptResult}.
 *
 * <p>Options (camelCase or snake_case): {@code loss} (a loss or its name; default
 * {@code softmax_cross_entropy} for classification data, {@code mse} for regression),
 * {@code optimizer} (an optimizer or its name; default {@code adam}), {@code epochs} (10),
 * {@code batchSize} (32), {@code accumulate} (1: the micro-batches of {@code batchSize} whose
 * gradients each optimizer update sums), {@code onNonFinite} ({@code 'stop'}, or {@code 'skip'}: a batch
 * whose loss or gradient is NaN or infinite is passed over and counted in {@code skipped_batches}),
 * {@code seed} (the run's seed), {@code paramGroups} (a list of {@code {params: 'dense_1.*', lrScale:
 * 0.1, weightDecay: 0}}: a learning-rate multiplier and a weight decay per group of parameters, by a
 * pattern of their names), {@code layerDecay} (1: layer-wise learning-rate decay, each layer below the
 * last trains at this times the rate of the one above), {@code decayBiases} (false: biases and
 * normalization parameters take no weight decay), {@code regularizers}, {@code augmenters},
 * {@code schedulers}, {@code metrics} (components, names, or script functions for augmenters and
 * metrics; metrics default to {@code accuracy} for classification), {@code checkpoint} ({@code true}
 * saves into {@code <checkpoints>/<name>}, a string into {@code <checkpoints>/<string>}),
 * {@code checkpointPolicy} ({@code {keepBest: 1, everySteps: 0, everyMinutes: 0, keepPeriodic: 3,
 * onError: true}}: the k best epochs under {@code top/}, periodic checkpoints under {@code periodic/},
 * {@code error/} on a failure; see {@link CheckpointPolicy}), {@code resume} (a checkpoint folder; relative to the checkpoints folder if it is there, else to the
 * script's folder), {@code freeze} (layer names), {@code monitor} (the metric that picks the best
 * checkpoint), {@code name} (for records and checkpoints; {@code train-1}, ...), {@code progress},
 * {@code distributed} (data-parallel training on an engine: {@code {engine: 'spark', master: 'local[2]',
 * workers: 2, sync: 'gradients' | 'average', every: K}}, see {@link dev.regimen.core.distributed}; the engine
 * must be installed, else the trainer is not made), and the callbacks {@code onTrainStart}, {@code onEpochStart}, {@code onBatchEnd},
 * {@code onEpochEnd}, {@code onTrainEnd} (see {@link ScriptCallbacks}).
 *
 * <p>In smoke mode every fit runs at most one epoch on at most {@value RunOptions#SMOKE_SAMPLES}
 * training and validation samples, and evaluation sees at most as many samples.
 */
public final class ScriptTrainer {
  private static final Logger LOG = LogManager.getLogger(ScriptTrainer.class);

  static final List<String> OPTIONS = List.of("loss", "optimizer", "epochs", "batch_size", "accumulate", "on_non_finite", "seed", "regularizers",
      "augmenters", "schedulers", "metrics", "param_groups", "layer_decay", "decay_biases", "checkpoint", "checkpoint_policy", "resume", "freeze", "monitor", "name", "progress",
      "distributed",
      "on_train_start", "on_epoch_start", "on_batch_end", "on_epoch_end", "on_train_end");

  private final ScriptRuntime runtime;
  private final String name;
  private final ScriptComponent loss;
  private final ScriptComponent optimizer;
  private final int epochs;
  private final int batchSize;
  private final int accumulate;
  private final TrainerConfig.NonFinite onNonFinite;
  private final ParameterGroups parameterGroups;
  private final CheckpointPolicy checkpointPolicy;
  private final long seed;
  private final List<ScriptComponent> regularizers = new ArrayList<>();
  private final List<Object> augmenters = new ArrayList<>();
  private final List<ScriptComponent> schedulers = new ArrayList<>();
  private final List<Object> metrics;
  private final Path checkpointDir;
  private final Path resumeFrom;
  private final List<String> freeze = new ArrayList<>();
  private final String monitor;
  private final boolean progress;
  private final ScriptCallbacks callbacks;
  private final DistributedOptions distributed;
  private History lastHistory;
  private String lastStopReason;

  ScriptTrainer(ScriptRuntime runtime, Map<String, Object> options) {
    this.runtime = runtime;
    for (String key : options.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new ScriptApiException("Unknown option '" + key + "' for rg.trainer. Known options: "
            + String.join(", ", OPTIONS));
      }
    }
    this.name = options.containsKey("name") ? string(options, "name") : runtime.nextTrainerName();
    this.loss = options.get("loss") == null ? null : component(ComponentKind.OBJECTIVE, "loss", options.get("loss"));
    this.optimizer = options.get("optimizer") == null ? null
        : component(ComponentKind.OPTIMIZER, "optimizer", options.get("optimizer"));
    this.epochs = integer(options, "epochs", 10, 1);
    this.batchSize = integer(options, "batch_size", 32, 1);
    this.accumulate = integer(options, "accumulate", 1, 1);
    try {
      this.onNonFinite = options.get("on_non_finite") == null ? TrainerConfig.NonFinite.STOP
          : TrainerConfig.NonFinite.parse(string(options, "on_non_finite"));
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException("Option 'on_non_finite' of rg.trainer must be 'stop' or 'skip'. Received: "
          + "on_non_finite=" + Values.describe(options.get("on_non_finite")));
    }
    this.seed = options.get("seed") == null ? runtime.seed() : integer(options, "seed", 0, Integer.MIN_VALUE);
    for (Object r : list(options, "regularizers")) {
      regularizers.add(component(ComponentKind.REGULARIZER, "regularizers", r));
    }
    for (Object a : list(options, "augmenters")) {
      augmenters.add(a instanceof Value fn && fn.canExecute()
          ? new ScriptAugmenter(Values.functionName(fn, "augmenter_" + (augmenters.size() + 1)), fn, runtime)
          : component(ComponentKind.AUGMENTER, "augmenters", a));
    }
    for (Object s : list(options, "schedulers")) {
      schedulers.add(component(ComponentKind.SCHEDULER, "schedulers", s));
    }
    if (options.get("metrics") == null) {
      this.metrics = null;
    } else {
      this.metrics = new ArrayList<>();
      for (Object m : list(options, "metrics")) {
        metrics.add(m instanceof Value fn && fn.canExecute()
            ? new ScriptMetric(Values.functionName(fn, "metric_" + (metrics.size() + 1)), true, fn, runtime)
            : component(ComponentKind.METRIC, "metrics", m));
      }
    }
    this.parameterGroups = parameterGroups(options);
    for (Object f : list(options, "freeze")) {
      if (!(f instanceof String s)) {
        throw new ScriptApiException("Option 'freeze' of rg.trainer lists layer names. Received: " + Values.describe(f));
      }
      freeze.add(s);
    }
    this.checkpointDir = checkpointDir(options.get("checkpoint"));
    this.checkpointPolicy = checkpointPolicy(options.get("checkpoint_policy"));
    this.resumeFrom = options.get("resume") == null ? null : resumePath(string(options, "resume"));
    this.monitor = options.get("monitor") == null ? null : string(options, "monitor");
    this.progress = options.get("progress") == null ? runtime.options().progress() : bool(options, "progress");
    this.distributed = distributedOptions(options.get("distributed"));
    this.callbacks = new ScriptCallbacks(function(options, "on_train_start"), function(options, "on_epoch_start"),
        function(options, "on_batch_end"), function(options, "on_epoch_end"), function(options, "on_train_end"),
        runtime);
  }

  /**
   * Trains the model on {@code train}, validating on {@code validation} (may be null) after each
   * epoch; returns the history, {@code metric -> [value per epoch]}.
   */
  @HostAccess.Export
  public Object fit(Value model, Value train) {
    return fit(model, train, null);
  }

  @HostAccess.Export
  public Object fit(Value model, Value train, Value validation) {
    runtime.checkNotInterrupted();
    Layer layer = RegimenApi.model("trainer.fit", "the model (first argument)", model);
    ScriptDataset trainData = RegimenApi.dataset("trainer.fit", "the training data (second argument)", train);
    ScriptDataset validationData = validation == null || validation.isNull() ? null
        : RegimenApi.dataset("trainer.fit", "the validation data (third argument)", validation);
    Dataset trainSet = trainData.dataset();
    Dataset validationSet = validationData == null ? null : validationData.dataset();
    int runEpochs = epochs;
    if (runtime.smoke()) {
      runEpochs = 1;
      trainSet = smokeSubset(trainSet, "train");
      validationSet = validationSet == null ? null : smokeSubset(validationSet, "validation");
    }
    Objective objective = objective(trainSet);
    List<Metric> metricList = metrics(trainSet);
    Path from = resumeFrom();
    TrainerConfig.Builder builder = TrainerConfig.builder()
        .objective(objective)
        .optimizer(optimizer == null ? defaultOptimizer() : (Optimizer) optimizer.component())
        .epochs(runEpochs)
        .batchSize(batchSize)
        .accumulate(accumulate)
        .onNonFinite(onNonFinite)
        .parameterGroups(parameterGroups)
        .seed(seed)
        .progress(progress)
        .checkpointDir(checkpointDir)
        .checkpointPolicy(checkpointPolicy)
        .resumeFrom(from)
        .monitor(monitor)
        .outputDir(runtime.options().runDir())
        .normalizer(trainData.normalizer());
    regularizers.forEach(r -> builder.regularizer((Regularizer) r.component()));
    for (Object a : augmenters) {
      builder.augmenter(a instanceof ScriptComponent c ? (Augmenter) c.component() : (Augmenter) a);
    }
    schedulers.forEach(s -> builder.scheduler((Scheduler) s.component()));
    if (!callbacks.isEmpty()) {
      builder.scheduler(callbacks);
    }
    // The run recorder names this training's files and report section after the trainer.
    runtime.options().extraSchedulers().forEach(s -> builder.scheduler(s instanceof RunRecorder r ? r.labelled(name) : s));
    metricList.forEach(builder::metric);
    builder.freeze(freeze.toArray(new String[0]));
    if (distributed != null) {
      builder.distributed(distributedTraining(trainSet));
    }
    Trainer trainer = new Trainer(builder.build());
    Map<String, Object> config = describe(layer, trainSet, validationSet, runEpochs);
    config.put("resume", from == null ? null : from.toString());
    runtime.started(trainer);
    try {
      TrainingResult result = trainer.fit(layer, trainSet, validationSet);
      lastHistory = result.history();
      lastStopReason = result.stopReason();
      runtime.recordTraining(new TrainingRecord(name, config, result.history(), result.keptEpoch(),
          result.stopReason(), result.interrupted(), checkpointDir));
      if (result.interrupted()) {
        throw new ScriptInterruptedException();
      }
      return Values.toGuest(Values.history(result.history()));
    } catch (TrainingException e) {
      History history = e.history() != null ? e.history() : new History();
      lastHistory = history;
      lastStopReason = e.getMessage();
      runtime.recordTraining(new TrainingRecord(name, config, history, history.epochs() - 1, e.getMessage(), false,
          checkpointDir));
      throw e;
    } finally {
      runtime.finished(trainer);
    }
  }

  /** The loss and every metric of the model on a data set, in evaluation mode: {@code {loss, accuracy, ...}}. */
  @HostAccess.Export
  public Object evaluate(Value model, Value data) {
    runtime.checkNotInterrupted();
    Layer layer = RegimenApi.model("trainer.evaluate", "the model (first argument)", model);
    ScriptDataset given = RegimenApi.dataset("trainer.evaluate", "the data (second argument)", data);
    Dataset set = given.dataset();
    if (runtime.smoke()) {
      set = smokeSubset(set, "evaluation");
    }
    if (!layer.isBuilt()) {
      Layers.assignNames(layer);
      layer.build(set.sampleShape(), new Rng(seed).fork("init"));
    }
    Map<String, Double> result = Evaluation.evaluate(layer, set, objective(set), metrics(set), batchSize);
    runtime.recordEvaluation(new EvaluationRecord(name, given.split() == null ? "data" : given.split(), set.size(),
        result));
    return Values.toGuest(new LinkedHashMap<String, Object>(result));
  }

  /** The history of the last fit ({@code metric -> [value per epoch]}), or null before any. */
  @HostAccess.Export
  public Object history() {
    return lastHistory == null ? null : Values.toGuest(Values.history(lastHistory));
  }

  /** Why the last fit ended early (early stopping, a callback, a failure), or null. */
  @HostAccess.Export
  public String stopReason() {
    return lastStopReason;
  }

  @HostAccess.Export
  public String name() {
    return name;
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return "trainer '" + name + "' (" + epochs + " epochs, batch size " + batchSize + ")";
  }

  // ------------------------------------------------------------------ resolution

  /** The {@code distributed} option, checked now: its values and that its engine is installed. */
  private static DistributedOptions distributedOptions(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new ScriptApiException("Option 'distributed' of rg.trainer takes an object such as {engine: 'spark',"
          + " master: 'local[2]', workers: 2, sync: 'gradients'}. Received: distributed=" + Values.describe(value));
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    map.forEach((k, v) -> raw.put(String.valueOf(k), v));
    try {
      DistributedOptions parsed = DistributedOptions.fromMap(raw, "Option 'distributed' of rg.trainer");
      DistributedEngines.require(parsed.engine(), "Option 'distributed.engine' of rg.trainer");
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException(e.getMessage());
    }
  }

  /** The options, with the loss and the optimizer by name and options, as the workers make them again. */
  private DistributedTraining distributedTraining(Dataset trainSet) {
    try {
      ComponentSpec objectiveSpec = loss == null
          ? ComponentSpec.of(trainSet.isClassification() ? "softmax_cross_entropy" : "mse", Map.of(), "the loss")
          : spec(loss, "the loss");
      ComponentSpec optimizerSpec = optimizer == null ? ComponentSpec.of("adam", Map.of(), "the optimizer")
          : spec(optimizer, "the optimizer");
      List<Path> pluginDirs = runtime.options().plugins().stream()
          .map(p -> p.file() == null ? null : p.file().toAbsolutePath().getParent())
          .filter(java.util.Objects::nonNull).distinct().toList();
      return new DistributedTraining(distributed, objectiveSpec, optimizerSpec, pluginDirs);
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException("Option 'distributed' of rg.trainer: " + e.getMessage());
    }
  }

  private static ComponentSpec spec(ScriptComponent component, String what) {
    Map<String, Object> options = new LinkedHashMap<>(component.describe());
    options.remove("name");
    return ComponentSpec.of(component.name(), options, what);
  }

  private Objective objective(Dataset data) {
    if (loss != null) {
      return (Objective) loss.component();
    }
    String defaultLoss = data.isClassification() ? "softmax_cross_entropy" : "mse";
    return (Objective) runtime.component(ComponentKind.OBJECTIVE, defaultLoss, new LinkedHashMap<>()).component();
  }

  private Optimizer defaultOptimizer() {
    return (Optimizer) runtime.component(ComponentKind.OPTIMIZER, "adam", new LinkedHashMap<>()).component();
  }

  private List<Metric> metrics(Dataset data) {
    List<Metric> out = new ArrayList<>();
    if (metrics == null) {
      if (data.isClassification()) {
        out.add((Metric) runtime.component(ComponentKind.METRIC, "accuracy", new LinkedHashMap<>()).component());
      }
      return out;
    }
    for (Object m : metrics) {
      out.add(m instanceof ScriptComponent c ? (Metric) c.component() : (Metric) m);
    }
    return out;
  }

  private Dataset smokeSubset(Dataset data, String purpose) {
    if (data.size() <= RunOptions.SMOKE_SAMPLES) {
      return data;
    }
    int[] order = new Rng(seed).fork("smoke").fork(purpose).permutation(data.size());
    int[] rows = Arrays.copyOf(order, RunOptions.SMOKE_SAMPLES);
    Arrays.sort(rows);
    return data.subset(rows);
  }

  private Map<String, Object> describe(Layer model, Dataset train, Dataset validation, int runEpochs) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("loss", loss == null ? (train.isClassification() ? "softmax_cross_entropy" : "mse") : loss.describe());
    config.put("optimizer", optimizer == null ? "adam" : optimizer.describe());
    config.put("epochs", runEpochs);
    config.put("batch_size", batchSize);
    config.put("accumulate", accumulate);
    config.put("on_non_finite", onNonFinite.name().toLowerCase(java.util.Locale.ROOT));
    config.put("seed", seed);
    config.put("regularizers", regularizers.stream().map(ScriptComponent::describe).toList());
    config.put("augmenters", augmenters.stream().map(ScriptTrainer::describeItem).toList());
    config.put("schedulers", schedulers.stream().map(ScriptComponent::describe).toList());
    config.put("metrics", metrics == null ? (train.isClassification() ? List.of("accuracy") : List.of())
        : metrics.stream().map(ScriptTrainer::describeItem).toList());
    config.put("freeze", List.copyOf(freeze));
    if (!parameterGroups.isNone()) {
      config.put("param_groups", parameterGroups.groups().stream().map(g -> {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("params", g.pattern());
        group.put("lr_scale", g.lrScale());
        group.put("weight_decay", Double.isNaN(g.weightDecay()) ? null : g.weightDecay());
        return group;
      }).toList());
      config.put("layer_decay", parameterGroups.layerDecay());
      config.put("decay_biases", parameterGroups.decayBiases());
    }
    config.put("checkpoint", checkpointDir == null ? null : checkpointDir.toString());
    config.put("monitor", monitor);
    config.put("distributed", distributed == null ? null : distributed.describe());
    config.put("smoke", runtime.smoke());
    config.put("model", Layers.all(model).stream().map(l -> l.type()).toList());
    config.put("train_samples", train.size());
    config.put("validation_samples", validation == null ? 0 : validation.size());
    return config;
  }

  private static Object describeItem(Object item) {
    return item instanceof ScriptComponent c ? c.describe() : item.toString();
  }

  // ------------------------------------------------------------------ options

  @SuppressWarnings("unchecked")
  private ScriptComponent component(ComponentKind kind, String option, Object value) {
    if (value instanceof ScriptComponent c) {
      if (c.componentKind() != kind) {
        throw new ScriptApiException("Option '" + option + "' of rg.trainer takes " + article(kind) + " " + kind.id()
            + ". Received: " + c);
      }
      return c;
    }
    if (value instanceof String s) {
      return runtime.component(kind, s, new LinkedHashMap<>());
    }
    if (value instanceof Map<?, ?> map && map.get("name") instanceof String s) {
      Map<String, Object> rest = new LinkedHashMap<>((Map<String, Object>) map);
      rest.remove("name");
      return runtime.component(kind, s, rest);
    }
    throw new ScriptApiException("Option '" + option + "' of rg.trainer takes " + article(kind) + " " + kind.id()
        + " (rg." + (kind == ComponentKind.OBJECTIVE ? "loss" : kind.id()) + "(name, {...})) or its name. Received: "
        + Values.describe(value));
  }

  private static String article(ComponentKind kind) {
    return "aeiou".indexOf(kind.id().charAt(0)) >= 0 ? "an" : "a";
  }

  private static final List<String> POLICY_OPTIONS = List.of("keep_best", "every_steps", "every_minutes",
      "keep_periodic", "on_error");

  /** {@code checkpoint_policy}: {@code {keepBest, everySteps, everyMinutes, keepPeriodic, onError}}, checked. */
  @SuppressWarnings("unchecked")
  private static CheckpointPolicy checkpointPolicy(Object value) {
    if (value == null) {
      return CheckpointPolicy.DEFAULT;
    }
    if (!(value instanceof Map<?, ?> raw)) {
      throw new ScriptApiException("Option 'checkpoint_policy' of rg.trainer takes {keepBest, everySteps, everyMinutes,"
          + " keepPeriodic, onError}. Received: checkpoint_policy=" + Values.describe(value));
    }
    Map<String, Object> policy = new LinkedHashMap<>();
    ((Map<String, Object>) raw).forEach((k, v) -> policy.put(Values.snakeCase(k), v));
    for (String key : policy.keySet()) {
      if (!POLICY_OPTIONS.contains(key)) {
        throw new ScriptApiException("Unknown option '" + key + "' of checkpoint_policy in rg.trainer. Known options: "
            + String.join(", ", POLICY_OPTIONS));
      }
    }
    CheckpointPolicy d = CheckpointPolicy.DEFAULT;
    try {
      return new CheckpointPolicy(integer(policy, "keep_best", d.keepBest(), 0),
          integer(policy, "every_steps", (int) d.everySteps(), 0), number(policy, "every_minutes", d.everyMinutes()),
          integer(policy, "keep_periodic", d.keepPeriodic(), 1),
          policy.get("on_error") == null ? d.onError() : bool(policy, "on_error"));
    } catch (IllegalArgumentException e) {
      throw e instanceof ScriptApiException s ? s : new ScriptApiException("checkpoint_policy: " + e.getMessage());
    }
  }

  private static final List<String> GROUP_OPTIONS = List.of("params", "lr_scale", "weight_decay");

  /** {@code param_groups}, {@code layer_decay} and {@code decay_biases}, checked with the bad value echoed. */
  @SuppressWarnings("unchecked")
  private static ParameterGroups parameterGroups(Map<String, Object> options) {
    List<ParameterGroups.Group> groups = new ArrayList<>();
    for (Object item : list(options, "param_groups")) {
      if (!(item instanceof Map<?, ?> raw)) {
        throw new ScriptApiException("Option 'param_groups' of rg.trainer lists groups such as {params: 'dense_1.*',"
            + " lrScale: 0.1, weightDecay: 0}. Received: " + Values.describe(item));
      }
      Map<String, Object> group = new LinkedHashMap<>();
      ((Map<String, Object>) raw).forEach((k, v) -> group.put(Values.snakeCase(k), v));
      for (String key : group.keySet()) {
        if (!GROUP_OPTIONS.contains(key)) {
          throw new ScriptApiException("Unknown option '" + key + "' of a parameter group in rg.trainer. Known options: "
              + String.join(", ", GROUP_OPTIONS));
        }
      }
      try {
        groups.add(new ParameterGroups.Group(string(group, "params"), number(group, "lr_scale", 1),
            number(group, "weight_decay", Double.NaN)));
      } catch (IllegalArgumentException e) {
        throw new ScriptApiException("param_groups: " + e.getMessage());
      }
    }
    double layerDecay = number(options, "layer_decay", 1);
    boolean decayBiases = options.get("decay_biases") != null && bool(options, "decay_biases");
    try {
      return new ParameterGroups(groups, layerDecay, decayBiases);
    } catch (IllegalArgumentException e) {
      throw new ScriptApiException("Option 'layer_decay' of rg.trainer must be in (0, 1]. Received: layer_decay="
          + Values.describe(options.get("layer_decay")));
    }
  }

  private static double number(Map<String, Object> options, String key, double defaultValue) {
    Object value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new ScriptApiException("Option '" + key + "' must be a number. Received: " + key + "=" + Values.describe(value));
  }

  private static List<Object> list(Map<String, Object> options, String key) {
    Object value = options.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    return List.of(value);
  }

  private static String string(Map<String, Object> options, String key) {
    Object value = options.get(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ScriptApiException("Option '" + key + "' of rg.trainer must be a non-empty string. Received: " + key
          + "=" + Values.describe(value));
    }
    return s;
  }

  private static boolean bool(Map<String, Object> options, String key) {
    Object value = options.get(key);
    if (!(value instanceof Boolean b)) {
      throw new ScriptApiException("Option '" + key + "' of rg.trainer must be true or false. Received: " + key + "="
          + Values.describe(value));
    }
    return b;
  }

  private static int integer(Map<String, Object> options, String key, int defaultValue, int min) {
    Object value = options.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE && n.intValue() >= min) {
      return n.intValue();
    }
    throw new ScriptApiException("Option '" + key + "' of rg.trainer must be an integer"
        + (min > Integer.MIN_VALUE ? " >= " + min : "") + ". Received: " + key + "=" + Values.describe(value));
  }

  private static Value function(Map<String, Object> options, String key) {
    Object value = options.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Value v && v.canExecute()) {
      return v;
    }
    throw new ScriptApiException("Option '" + key + "' of rg.trainer must be a function. Received: " + key + "="
        + Values.describe(value));
  }

  private Path checkpointDir(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return null;
    }
    String folder;
    if (Boolean.TRUE.equals(value)) {
      folder = name;
    } else if (value instanceof String s && !s.isBlank()) {
      folder = s;
    } else {
      throw new ScriptApiException("Option 'checkpoint' of rg.trainer is true (a folder named after the trainer) or a"
          + " folder name. Received: checkpoint=" + Values.describe(value));
    }
    Path root = runtime.options().effectiveCheckpointsDir();
    if (root == null) {
      throw new ScriptApiException("checkpoint: this run has no run folder to save checkpoints in (the CLI gives each"
          + " run one under runs/)");
    }
    Path dir = root.resolve(folder).normalize();
    if (!dir.startsWith(root.normalize())) {
      throw new ScriptApiException("checkpoint: the folder must stay inside the checkpoints folder. Received: checkpoint="
          + Values.describe(value));
    }
    return runtime.files().checkWrite(dir);
  }

  /**
   * Where this fit continues from: in a resumed run ({@link RunOptions#resume()}) its own
   * {@code last/} checkpoint when there is one, else the script's {@code resume} option.
   */
  private Path resumeFrom() {
    if (runtime.options().resume() && checkpointDir != null) {
      Path last = checkpointDir.resolve(Trainer.LAST);
      if (CheckpointStore.exists(last)) {
        return last;
      }
      LOG.info("Trainer '{}' has no checkpoint in {} yet: it trains from the start", name, checkpointDir);
    } else if (runtime.options().resume()) {
      LOG.info("Trainer '{}' saves no checkpoints (checkpoint: true would): it trains again from the start", name);
    }
    return resumeFrom;
  }

  private Path resumePath(String path) {
    Path root = runtime.options().effectiveCheckpointsDir();
    Path candidate = root == null ? null : root.resolve(path).normalize();
    Path chosen = candidate != null && Files.exists(candidate) ? candidate : runtime.files().resolve(path);
    return runtime.files().checkRead(chosen);
  }

  static Set<String> optionNames() {
    return Set.copyOf(OPTIONS);
  }
}
