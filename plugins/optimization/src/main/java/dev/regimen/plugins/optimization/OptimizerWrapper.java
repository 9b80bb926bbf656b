package dev.regimen.plugins.optimization;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.ParameterOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the optimizers that wrap another one ({@code lookahead}, {@code sam}) share: the learning rate
 * and the step count are the inner optimizer's (so schedules and checkpoints see one rate), and the
 * state is the inner optimizer's under {@value #INNER_PREFIX} beside the wrapper's own arrays, one per
 * parameter and slot ({@code <parameter>.<slot>}), so that a checkpoint restores both bit for bit.
 */
abstract class OptimizerWrapper implements Optimizer {
  /** The prefix of the inner optimizer's state in {@link #state()}. */
  static final String INNER_PREFIX = "inner.";

  /** The option every wrapper takes: the optimizer it wraps. */
  static final OptionSpec OPTIMIZER = OptionSpec.required("optimizer", OptionType.ANY,
      "the optimizer that makes the updates, e.g. rg.optimizer('adam', {lr: 1e-3})");

  private final String name;
  private final List<String> slots;
  protected final Optimizer inner;
  /** The wrapper's own state by {@code <parameter>.<slot>}, made outside every step scope. */
  private final Map<String, INDArray> own = new LinkedHashMap<>();

  OptimizerWrapper(String name, Optimizer inner, List<String> slots) {
    this.name = name;
    this.inner = inner;
    this.slots = List.copyOf(slots);
  }

  /** The optimizer of option {@code optimizer}, or an error that echoes what was given. */
  static Optimizer innerOf(Options options) {
    Object given = options.get("optimizer");
    if (given instanceof Optimizer optimizer) {
      return optimizer;
    }
    throw new ComponentException("Option 'optimizer' of " + options.owner() + " must be an optimizer, made with"
        + " rg.optimizer(name, {...}). Received: optimizer=" + (given instanceof String s ? "'" + s + "'" : given));
  }

  /** The optimizer this one wraps. */
  public final Optimizer inner() {
    return inner;
  }

  /** The wrapper's array of a parameter's slot, or null before it was made. */
  final INDArray slot(Parameter parameter, String slot) {
    return own.get(parameter.name() + "." + slot);
  }

  /** The wrapper's array of a parameter's slot, made by {@code init} (outside every step scope) the first time. */
  final INDArray slot(Parameter parameter, String slot, java.util.function.Supplier<INDArray> init) {
    return own.computeIfAbsent(parameter.name() + "." + slot, k -> StepMemory.outside(init));
  }

  @Override
  public final double learningRate() {
    return inner.learningRate();
  }

  @Override
  public final void setLearningRate(double lr) {
    inner.setLearningRate(lr);
  }

  @Override
  public final long steps() {
    return inner.steps();
  }

  /** Parameter groups are the inner optimizer's: it makes the updates. */
  @Override
  public final void setParameterOptions(Map<String, ParameterOptions> options) {
    inner.setParameterOptions(options);
  }

  @Override
  public final Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    inner.state().forEach((k, v) -> out.put(INNER_PREFIX + k, v));
    own.forEach((k, v) -> out.put(k, v.dup()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public final void loadState(Map<String, INDArray> state, long steps) {
    Map<String, INDArray> innerState = new LinkedHashMap<>();
    Map<String, INDArray> loaded = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(INNER_PREFIX)) {
        innerState.put(key.substring(INNER_PREFIX.length()), e.getValue());
        continue;
      }
      int dot = key.lastIndexOf('.');
      if (dot <= 0 || !slots.contains(key.substring(dot + 1))) {
        throw new IllegalArgumentException(name + ": unknown state '" + key + "'; expected " + INNER_PREFIX
            + "<inner state> or <parameter>.<slot> with slot " + String.join(", ", slots));
      }
      loaded.put(key, StepMemory.outside(() -> e.getValue().dup()));
    }
    inner.loadState(innerState, steps);
    own.clear();
    own.putAll(loaded);
  }

  @Override
  public String toString() {
    return name + "(" + describe() + ", optimizer=" + inner + ")";
  }

  /** The wrapper's options for {@link #toString()}. */
  abstract String describe();
}
