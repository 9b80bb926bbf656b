package dev.regimen.core.script;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.plugin.ComponentInfo;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.plugin.PluginInfo;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Transfer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code rg}: the one object a script sees. JavaScript calls it with option objects
 * ({@code rg.layer('dense', {units: 10})}); Python through the {@code regimen} module, which turns
 * keyword arguments into the same options ({@code rg.layer("dense", units=10)}).
 *
 * <p>Components are made by name through the run's registry, so plugin components work exactly like
 * built-ins; results (histories, metrics, predictions, listings) come back as plain script data.
 * Everything else of Java stays out of reach.
 */
public final class RegimenApi {
  /** The data loaders: {@code rg.data.digits({...})} and friends. */
  @HostAccess.Export
  public final DataApi data;

  private final ScriptRuntime runtime;

  RegimenApi(ScriptRuntime runtime) {
    this.runtime = runtime;
    this.data = new DataApi(runtime);
  }

  // ------------------------------------------------------------------ parameters and run

  /** A parameter from {@code --set name=...} as a string, or null; {@code rg.param('smoke')} is smoke mode. */
  @HostAccess.Export
  public Object param(String name) {
    return runtime.param(name, null, null);
  }

  /** A parameter converted to the type of its default (number, boolean, string), or the default. */
  @HostAccess.Export
  public Object param(String name, Value defaultValue) {
    return runtime.param(name, defaultValue, null);
  }

  /** As {@link #param(String, Value)}, with the default's Python type name (the regimen module passes it). */
  @HostAccess.Export
  public Object param(String name, Value defaultValue, String pythonType) {
    return runtime.param(name, defaultValue, pythonType);
  }

  /** The seed trainers and splits use when not given one. */
  @HostAccess.Export
  public long seed() {
    return runtime.seed();
  }

  /** Whether this is a smoke run (trainers run one short epoch). */
  @HostAccess.Export
  public boolean smoke() {
    return runtime.smoke();
  }

  /** The run folder, or null when the run has none. */
  @HostAccess.Export
  public String runDir() {
    Path dir = runtime.options().runDir();
    return dir == null ? null : dir.toString();
  }

  /** Regimen's version. */
  @HostAccess.Export
  public String version() {
    return PluginHost.frameworkVersion();
  }

  /** Prints its arguments, separated by spaces, to the script's output. */
  @HostAccess.Export
  public void log(Value... args) {
    StringBuilder line = new StringBuilder();
    for (Value v : args) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(v.isString() ? v.asString() : v.toString());
    }
    runtime.out().println(line);
    runtime.out().flush();
  }

  /**
   * The optional options object of a call such as {@code rg.layer('dense', {units: 10})}: the exported
   * methods take it as a trailing variable argument, so that one method serves the call with and
   * without it; null when it is absent, an error naming the call when more than one is given.
   */
  private static Value optionsArgument(String call, Value[] rest) {
    if (rest == null || rest.length == 0) {
      return null;
    }
    if (rest.length > 1) {
      throw new ScriptApiException(call + " takes one options object after its arguments. Received: "
          + rest.length + " more arguments");
    }
    return rest[0];
  }

  // ------------------------------------------------------------------ models

  /**
   * A layer by name through the registry ({@code rg.layer('relu')}, {@code rg.layer('dense', {units:
   * 10})}); option {@code name}
   * names the layer instance (for {@code freeze} and transfer) instead of {@code dense_1}.
   */
  @HostAccess.Export
  public ScriptModel layer(String name, Value... rest) {
    Value options = optionsArgument("rg.layer", rest);
    Map<String, Object> opts = Values.options("rg.layer('" + name + "')", options, false, false);
    String instanceName = takeName(opts);
    Layer layer = (Layer) runtime.component(ComponentKind.LAYER, name, opts).component();
    if (instanceName != null) {
      layer.assignName(instanceName);
    }
    return new ScriptModel(layer);
  }

  /** A chain of layers: {@code rg.sequential([rg.layer(...), ...])}. */
  @HostAccess.Export
  public ScriptModel sequential(Value layers, Value... rest) {
    Value options = optionsArgument("rg.sequential", rest);
    Map<String, Object> opts = Values.options("rg.sequential", options, false, false);
    opts.put("layers", Values.toJava(layers, false));
    return container("sequential", opts);
  }

  /** {@code y = x + block(x)}; the block is a layer or a list of layers. */
  @HostAccess.Export
  public ScriptModel residual(Value block, Value... rest) {
    Value options = optionsArgument("rg.residual", rest);
    Map<String, Object> opts = Values.options("rg.residual", options, false, false);
    opts.put("block", Values.toJava(block, false));
    return container("residual", opts);
  }

  /**
   * A shared trunk with named heads: {@code rg.multiHead(trunk, {digit: rg.layer('dense', {units:
   * 10}), parity: ...})} (Python: {@code rg.multi_head(trunk, digit=..., parity=...)}).
   */
  @HostAccess.Export
  public ScriptModel multiHead(Value trunk, Value heads) {
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("trunk", Values.toJava(trunk, false));
    Object headMap = Values.toJava(heads, false);
    if (!(headMap instanceof Map<?, ?>)) {
      throw new ScriptApiException("rg.multiHead takes the heads as an object from head name to layer. Received: "
          + Values.describe(headMap));
    }
    opts.put("heads", headMap);
    return container("multi_head", opts);
  }

  private ScriptModel container(String type, Map<String, Object> opts) {
    String instanceName = takeName(opts);
    Layer layer = (Layer) runtime.component(ComponentKind.LAYER, type, opts).component();
    if (instanceName != null) {
      layer.assignName(instanceName);
    }
    return new ScriptModel(layer);
  }

  private static String takeName(Map<String, Object> opts) {
    Object name = opts.remove("name");
    if (name != null && !(name instanceof String)) {
      throw new ScriptApiException("Option 'name' of a layer must be a string. Received: name=" + Values.describe(name));
    }
    return (String) name;
  }

  // ------------------------------------------------------------------ components

  /** An optimizer by name: {@code rg.optimizer('adam', {lr: 1e-3})}. */
  @HostAccess.Export
  public ScriptComponent optimizer(String name, Value... rest) {
    return make(ComponentKind.OPTIMIZER, name, optionsArgument("rg.optimizer", rest));
  }

  /** A loss (objective) by name: {@code rg.loss('huber', {delta: 1})}. */
  @HostAccess.Export
  public ScriptComponent loss(String name, Value... rest) {
    return make(ComponentKind.OBJECTIVE, name, optionsArgument("rg.loss", rest));
  }

  /** A regularizer by name: {@code rg.regularizer('l2', {lambda: 1e-4})}. */
  @HostAccess.Export
  public ScriptComponent regularizer(String name, Value... rest) {
    return make(ComponentKind.REGULARIZER, name, optionsArgument("rg.regularizer", rest));
  }

  /** A scheduler by name: {@code rg.scheduler('early_stopping', {patience: 5})}. */
  @HostAccess.Export
  public ScriptComponent scheduler(String name, Value... rest) {
    return make(ComponentKind.SCHEDULER, name, optionsArgument("rg.scheduler", rest));
  }

  /**
   * An augmenter by name ({@code rg.augmenter('label_smoothing', {epsilon: 0.1})}), or a script
   * function {@code (batch) -> batch} (options: {@code name}).
   */
  @HostAccess.Export
  public Object augmenter(Value nameOrFunction, Value... rest) {
    Value options = optionsArgument("rg.augmenter", rest);
    if (nameOrFunction != null && nameOrFunction.canExecute()) {
      Map<String, Object> opts = Values.options("rg.augmenter(function)", options, false);
      String name = customName(opts, "rg.augmenter(function)", Values.functionName(nameOrFunction, "augmenter"), List.of());
      return new ScriptComponent(ComponentKind.AUGMENTER, name, Map.of("function", true),
          new ScriptAugmenter(name, nameOrFunction, runtime));
    }
    return make(ComponentKind.AUGMENTER, nameString("rg.augmenter", nameOrFunction), options);
  }

  /**
   * A metric by name ({@code rg.metric('top_k_accuracy', {k: 3})}), or a script function
   * {@code (outputs, targets) -> number} (options: {@code name}, {@code higherIsBetter}, default true).
   */
  @HostAccess.Export
  public Object metric(Value nameOrFunction, Value... rest) {
    Value options = optionsArgument("rg.metric", rest);
    if (nameOrFunction != null && nameOrFunction.canExecute()) {
      Map<String, Object> opts = Values.options("rg.metric(function)", options, false);
      Object higher = opts.remove("higher_is_better");
      if (higher != null && !(higher instanceof Boolean)) {
        throw new ScriptApiException("Option 'higherIsBetter' of rg.metric(function) must be true or false. Received: "
            + "higherIsBetter=" + Values.describe(higher));
      }
      String name = customName(opts, "rg.metric(function)", Values.functionName(nameOrFunction, "metric"),
          List.of("higherIsBetter"));
      boolean higherIsBetter = higher == null || (Boolean) higher;
      return new ScriptComponent(ComponentKind.METRIC, name, Map.of("function", true, "higher_is_better",
          higherIsBetter), new ScriptMetric(name, higherIsBetter, nameOrFunction, runtime));
    }
    return make(ComponentKind.METRIC, nameString("rg.metric", nameOrFunction), options);
  }

  /** Any component by kind and name: {@code rg.component('regularizer', 'l1', {lambda: 1e-5})}. */
  @HostAccess.Export
  public Object component(String kind, String name, Value... rest) {
    Value options = optionsArgument("rg.component", rest);
    ComponentKind k = ComponentKind.parse(kind);
    return k == ComponentKind.LAYER ? layer(name, options) : make(k, name, options);
  }

  private ScriptComponent make(ComponentKind kind, String name, Value options) {
    String call = "rg." + (kind == ComponentKind.OBJECTIVE ? "loss" : kind.id()) + "('" + name + "')";
    return runtime.component(kind, name, Values.options(call, options, false, false));
  }

  private static String nameString(String call, Value value) {
    if (value == null || !value.isString()) {
      throw new ScriptApiException(call + " takes a component name or a function. Received: "
          + Values.describe(value));
    }
    return value.asString();
  }

  private static String customName(Map<String, Object> opts, String call, String fallback, List<String> others) {
    Object name = opts.remove("name");
    if (!opts.isEmpty()) {
      List<String> known = new ArrayList<>(List.of("name"));
      known.addAll(others);
      throw new ScriptApiException("Unknown option '" + opts.keySet().iterator().next() + "' for " + call
          + ". Known options: " + String.join(", ", known));
    }
    if (name != null && !(name instanceof String)) {
      throw new ScriptApiException("Option 'name' of " + call + " must be a string. Received: name="
          + Values.describe(name));
    }
    return name != null ? (String) name : fallback;
  }

  // ------------------------------------------------------------------ training

  /** A trainer; see {@link ScriptTrainer} for its options. */
  @HostAccess.Export
  public ScriptTrainer trainer(Value... rest) {
    Value options = optionsArgument("rg.trainer", rest);
    runtime.checkNotInterrupted();
    return new ScriptTrainer(runtime, Values.options("rg.trainer", options, false));
  }

  /**
   * The model's outputs for a data set (or rows of numbers), in evaluation mode:
   * {@code {outputs, classes}}; with {@code mcSamples: T} (T >= 2), Monte Carlo dropout: T passes with
   * dropout-family layers sampling, giving {@code {mean, variance, classes}}. Options also:
   * {@code batchSize} (256), {@code seed}.
   */
  @HostAccess.Export
  public Object predict(Value model, Value data, Value... rest) {
    Value options = optionsArgument("rg.predict", rest);
    runtime.checkNotInterrupted();
    Layer layer = model("rg.predict", "the model (first argument)", model);
    Map<String, Object> opts = Values.options("rg.predict", options, false);
    for (String key : opts.keySet()) {
      if (!List.of("mc_samples", "batch_size", "seed").contains(key)) {
        throw new ScriptApiException("Unknown option '" + key + "' for rg.predict. Known options: mcSamples, batchSize,"
            + " seed");
      }
    }
    int samples = intOption(opts, "mc_samples", 0, "rg.predict");
    int batchSize = intOption(opts, "batch_size", 256, "rg.predict");
    long seed = opts.get("seed") == null ? runtime.seed() : intOption(opts, "seed", 0, "rg.predict");
    INDArray features = features(data);
    if (!layer.isBuilt()) {
      Layers.assignNames(layer);
      long[] shape = features.shape();
      layer.build(java.util.Arrays.copyOfRange(shape, 1, shape.length), new Rng(seed).fork("init"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    INDArray main;
    if (samples > 0) {
      Evaluation.McPrediction p = Evaluation.predictMonteCarlo(layer, features, samples, batchSize,
          new Rng(seed).fork("predict"));
      out.put("mean", Values.nested(p.mean()));
      out.put("variance", Values.nested(p.variance()));
      main = p.mean();
    } else {
      main = Evaluation.predict(layer, features, batchSize);
      out.put("outputs", Values.nested(main));
    }
    if (main.rank() == 2 && main.size(1) > 1) {
      out.put("classes", Values.toGuest(main.argMax(1).toIntVector()));
    }
    return new Values.ScriptObject(out);
  }

  private INDArray features(Value data) {
    if (data != null && data.isHostObject() && data.asHostObject() instanceof ScriptDataset d) {
      return d.dataset().features().array();
    }
    if (data != null && data.hasArrayElements()) {
      INDArray rows = Values.array("rg.predict's data", data, new long[0], Tensor.defaultType());
      return rows.rank() == 1 ? rows.reshape(1, rows.length()) : rows;
    }
    throw new ScriptApiException("rg.predict takes a data set (data.test) or rows of numbers. Received: "
        + Values.describe(data));
  }

  /**
   * Copies weights from a checkpoint into a model: {@code rg.transfer(model, 'runs/.../best', {layers:
   * ['dense_1']})} by layer name, or {@code {first: k}} for the first k layers with parameters whatever
   * their names. A model not trained yet is built first, for {@code inputShape} or the sample shape of
   * {@code data}. Returns which model arrays came from which checkpoint arrays.
   */
  @HostAccess.Export
  public Object transfer(Value model, String checkpoint, Value options) {
    runtime.checkNotInterrupted();
    Layer layer = model("rg.transfer", "the model (first argument)", model);
    Map<String, Object> opts = Values.options("rg.transfer", options, true);
    for (String key : opts.keySet()) {
      if (!List.of("layers", "first", "data", "input_shape", "seed").contains(key)) {
        throw new ScriptApiException("Unknown option '" + key + "' for rg.transfer. Known options: layers, first, data,"
            + " inputShape, seed");
      }
    }
    Path dir = runtime.files().checkRead(resumable(checkpoint));
    if (!layer.isBuilt()) {
      long[] shape;
      if (opts.get("data") instanceof dev.regimen.core.data.Dataset d) {
        shape = d.sampleShape();
      } else if (opts.get("input_shape") instanceof List<?> l) {
        shape = l.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
      } else {
        throw new ScriptApiException("rg.transfer needs a built model: train it first, or give data: train (or "
            + "inputShape: [...]) so that its parameters can be made");
      }
      long seed = opts.get("seed") == null ? runtime.seed() : intOption(opts, "seed", 0, "rg.transfer");
      Layers.assignNames(layer);
      layer.build(shape, new Rng(seed).fork("init"));
    }
    Map<String, String> copied;
    if (opts.get("first") != null) {
      copied = Transfer.initializeFirst(layer, dir, intOption(opts, "first", 1, "rg.transfer"));
    } else if (opts.get("layers") instanceof List<?> names && !names.isEmpty()) {
      copied = Transfer.initialize(layer, dir, names.stream().map(String::valueOf).toArray(String[]::new));
    } else {
      throw new ScriptApiException("rg.transfer needs layers: [names] or first: k");
    }
    return Values.toGuest(new LinkedHashMap<String, Object>(copied));
  }

  private Path resumable(String path) {
    Path root = runtime.options().effectiveCheckpointsDir();
    if (root != null && java.nio.file.Files.exists(root.resolve(path))) {
      return root.resolve(path);
    }
    return runtime.files().resolve(path);
  }

  /**
   * A sweep inside the script: {@code rg.sweep((config, seed) => {...; return trainer.evaluate(model,
   * data.test);}, {grid: {rate: [0, 0.5]}, seeds: [1, 2, 3], baseline: {rate: 0}, name: 'dropout'})}
   * (Python: {@code rg.sweep(run, grid={...}, seeds=[...])}); see {@link ScriptSweep}.
   */
  @HostAccess.Export
  public Object sweep(Value fn, Value... rest) {
    Value options = optionsArgument("rg.sweep", rest);
    runtime.checkNotInterrupted();
    return ScriptSweep.run(runtime, fn, Values.options("rg.sweep", options, false));
  }

  // ------------------------------------------------------------------ listings

  /** Every installed component: {@code [{kind, name, description, origin, options: [...]}, ...]}. */
  @HostAccess.Export
  public Object components() {
    return components(null);
  }

  /** The installed components of one kind (layer, objective, optimizer, ...). */
  @HostAccess.Export
  public Object components(String kind) {
    ComponentRegistry registry = runtime.registry();
    List<ComponentRegistry.Entry> entries = kind == null ? registry.entries()
        : registry.entries(ComponentKind.parse(kind));
    List<Object> out = new ArrayList<>();
    for (ComponentRegistry.Entry entry : entries) {
      ComponentInfo info = ComponentInfo.of(entry);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", info.kind().id());
      m.put("name", info.name());
      m.put("description", info.description());
      m.put("origin", info.origin());
      List<Object> options = new ArrayList<>();
      for (ComponentInfo.Option o : info.options()) {
        Map<String, Object> om = new LinkedHashMap<>();
        om.put("name", o.name());
        om.put("type", o.type().id());
        om.put("default", ScriptRuntime.describeOption(o.defaultValue()));
        om.put("required", o.required());
        om.put("constraint", o.constraint());
        om.put("description", o.description());
        options.add(om);
      }
      m.put("options", options);
      out.add(m);
    }
    return Values.toGuest(out);
  }

  /** The loaded plugins: {@code [{id, version, description, provider, file, components}, ...]}. */
  @HostAccess.Export
  public Object plugins() {
    List<Object> out = new ArrayList<>();
    for (PluginInfo p : runtime.options().plugins()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("version", p.version());
      m.put("description", p.description());
      m.put("provider", p.provider());
      m.put("file", p.fileName());
      m.put("state", p.state().toString());
      m.put("components", p.components().stream().map(Object::toString).collect(Collectors.toList()));
      out.add(m);
    }
    return Values.toGuest(out);
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return "Regimen " + version();
  }

  // ------------------------------------------------------------------ argument checks

  static Layer model(String call, String what, Value value) {
    if (value != null && value.isHostObject() && value.asHostObject() instanceof ScriptModel m) {
      return m.layer();
    }
    throw new ScriptApiException(call + " takes a model as " + what + " (rg.sequential([...]) or rg.layer(...)). "
        + "Received: " + Values.describe(value));
  }

  static ScriptDataset dataset(String call, String what, Value value) {
    if (value != null && value.isHostObject() && value.asHostObject() instanceof ScriptDataset d) {
      return d;
    }
    throw new ScriptApiException(call + " takes a data set as " + what + " (e.g. data.train from rg.data.digits()). "
        + "Received: " + Values.describe(value));
  }

  private static int intOption(Map<String, Object> opts, String key, int defaultValue, String call) {
    Object v = opts.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Integer i) {
      return i;
    }
    throw new ScriptApiException("Option '" + key + "' of " + call + " must be an integer. Received: " + key + "="
        + Values.describe(v));
  }
}
