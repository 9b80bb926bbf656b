package dev.regimen.core.optim;

import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.ParameterOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bookkeeping every optimizer shares: the learning rate, the step count, and per-parameter state
 * slots, so that a subclass only writes the update of one parameter.
 *
 * <p>State lives in named slots per parameter ({@code m}, {@code v}, {@code velocity}, ...), created
 * as zeros of the parameter's shape and type on its first update. {@link #state()} names each array
 * {@code <parameter>.<slot>} ({@code dense_1.weight.m}); an optimizer that counts steps per parameter
 * (for bias correction) also saves {@code <parameter>.step}, a float64 scalar, because a parameter that
 * was frozen for a while has taken fewer steps than the optimizer. {@link #state()} and {@link
 * #loadState} copy arrays, so a saved state is not changed by later steps and round-trips bitwise.
 *
 * <p>Parameters without a gradient are skipped: their state and step count stay as they are.
 *
 * <p>Parameter groups ({@link #setParameterOptions}): a subclass takes each parameter's learning rate
 * from {@link #learningRate(Parameter)} and its decoupled decay from {@link #weightDecay}, so every
 * optimizer honours a per-parameter {@code lr_scale} and weight decay.
 */
public abstract class AbstractOptimizer implements Optimizer {
  private static final String STEP_SLOT = "step";

  private final String name;
  private final List<String> slotNames;
  private final boolean countsSteps;
  private final Map<String, Slots> slots = new LinkedHashMap<>();
  private Map<String, ParameterOptions> parameterOptions = Map.of();
  private double learningRate;
  private long steps;

  /** The state of one parameter: its arrays in the order of {@code slotNames}, and its own step count. */
  protected static final class Slots {
    private final INDArray[] arrays;
    private long steps;

    private Slots(int count) {
      this.arrays = new INDArray[count];
    }

    /** The array of slot {@code index}, in the order the optimizer declared its slots. */
    public INDArray get(int index) {
      return arrays[index];
    }

    /** How many updates this parameter has had, this one included. */
    public long steps() {
      return steps;
    }
  }

  /**
   * @param name the optimizer's name, for messages
   * @param slotNames the state arrays kept per parameter, in the order {@link Slots#get} indexes them
   * @param countsSteps whether to count (and save) steps per parameter
   */
  protected AbstractOptimizer(String name, double learningRate, List<String> slotNames, boolean countsSteps) {
    this.name = name;
    this.slotNames = List.copyOf(slotNames);
    this.countsSteps = countsSteps;
    setLearningRate(learningRate);
  }

  /** Updates one parameter in place from its gradient; runs in a no-grad scope. */
  protected abstract void update(Parameter parameter, INDArray grad, Slots state);

  @Override
  public final void step(List<Parameter> parameters) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter parameter : parameters) {
        INDArray grad = parameter.value().grad();
        if (grad == null) {
          continue;
        }
        Slots state = slotsOf(parameter);
        state.steps++;
        if (!decaysItself()) {
          double decay = weightDecay(parameter, 0);
          if (decay > 0) {
            parameter.value().array().muli(1 - learningRate(parameter) * decay);
          }
        }
        update(parameter, grad, state);
      }
    }
    steps++;
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  /** Every parameter's own options replace the earlier ones; named parameters need not exist yet. */
  @Override
  public final void setParameterOptions(Map<String, ParameterOptions> options) {
    this.parameterOptions = Map.copyOf(options);
  }

  /** The options of a parameter: its own, or the defaults for a weight or not. */
  protected final ParameterOptions optionsOf(Parameter parameter) {
    ParameterOptions own = parameterOptions.get(parameter.name());
    return own != null ? own : ParameterOptions.defaults(parameter.weight());
  }

  /** The learning rate of one parameter: the optimizer's times the parameter's {@code lr_scale}. */
  protected final double learningRate(Parameter parameter) {
    ParameterOptions own = parameterOptions.get(parameter.name());
    return own == null ? learningRate : learningRate * own.lrScale();
  }

  /**
   * The decoupled weight decay rate of one parameter: 0 if it does not decay (by default, biases and
   * normalization parameters), else its own rate if it has one, else {@code optimizerRate}.
   */
  protected final double weightDecay(Parameter parameter, double optimizerRate) {
    ParameterOptions own = optionsOf(parameter);
    if (!own.decays()) {
      return 0;
    }
    return Double.isNaN(own.weightDecay()) ? optimizerRate : own.weightDecay();
  }

  /**
   * Whether {@link #update} applies decoupled weight decay itself (AdamW, Lion, LAMB, through {@link
   * #weightDecay}); otherwise a parameter given a rate of its own decays before its update, p = p - lr
   * wd p.
   */
  protected boolean decaysItself() {
    return false;
  }

  @Override
  public final void setLearningRate(double lr) {
    this.learningRate = requireAtLeast("lr", lr, 0);
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Slots> entry : slots.entrySet()) {
      Slots state = entry.getValue();
      for (int i = 0; i < slotNames.size(); i++) {
        out.put(entry.getKey() + "." + slotNames.get(i), state.arrays[i].dup());
      }
      if (countsSteps) {
        out.put(entry.getKey() + "." + STEP_SLOT, Nd4j.scalar(DataType.DOUBLE, (double) state.steps));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Replaces all state by a copy of {@code state}. Arrays are matched to parameters by name at their
   * next update, where a shape that differs from the parameter's is an error.
   *
   * @throws IllegalArgumentException for a name whose slot this optimizer does not keep, or a
   *     parameter missing some of its slots
   */
  @Override
  public final void loadState(Map<String, INDArray> state, long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException(name + ": the step count must not be negative; got " + steps);
    }
    Map<String, Slots> loaded = new LinkedHashMap<>();
    Map<String, Integer> filled = new HashMap<>();
    for (Map.Entry<String, INDArray> entry : state.entrySet()) {
      String key = entry.getKey();
      int dot = key.lastIndexOf('.');
      String slot = dot < 0 ? key : key.substring(dot + 1);
      int index = slotNames.indexOf(slot);
      if (dot <= 0 || (index < 0 && !(countsSteps && slot.equals(STEP_SLOT)))) {
        throw new IllegalArgumentException(name + ": unknown state '" + key + "'; expected <parameter>.<slot> with "
            + "slot one of " + String.join(", ", allSlotNames()));
      }
      Slots target = loaded.computeIfAbsent(key.substring(0, dot), k -> new Slots(slotNames.size()));
      if (index < 0) {
        target.steps = (long) entry.getValue().getDouble(0);
      } else {
        target.arrays[index] = entry.getValue().dup();
      }
      filled.merge(key.substring(0, dot), 1, Integer::sum);
    }
    int expected = allSlotNames().size();
    for (Map.Entry<String, Integer> entry : filled.entrySet()) {
      if (entry.getValue() != expected) {
        throw new IllegalArgumentException(name + ": the state of parameter '" + entry.getKey() + "' has "
            + entry.getValue() + " of its " + expected + " slots (" + String.join(", ", allSlotNames()) + ")");
      }
    }
    this.slots.clear();
    this.slots.putAll(loaded);
    this.steps = steps;
  }

  private List<String> allSlotNames() {
    if (!countsSteps) {
      return slotNames;
    }
    List<String> all = new ArrayList<>(slotNames);
    all.add(STEP_SLOT);
    return all;
  }

  private Slots zeroSlots(INDArray like) {
    Slots state = new Slots(slotNames.size());
    for (int i = 0; i < state.arrays.length; i++) {
      state.arrays[i] = Nd4j.zeros(like.dataType(), like.shape());
    }
    return state;
  }

  private Slots slotsOf(Parameter parameter) {
    INDArray value = parameter.value().array();
    Slots state = slots.get(parameter.name());
    if (state == null) {
      // State outlives the training step that first needs it.
      state = StepMemory.outside(() -> zeroSlots(value));
      slots.put(parameter.name(), state);
      return state;
    }
    for (int i = 0; i < state.arrays.length; i++) {
      INDArray array = state.arrays[i];
      if (!Arrays.equals(array.shape(), value.shape())) {
        throw new ShapeException(name + ": state '" + parameter.name() + "." + slotNames.get(i) + "' has shape "
            + Arrays.toString(array.shape()) + " but the parameter has shape " + Arrays.toString(value.shape()));
      }
      if (array.dataType() != value.dataType()) {
        state.arrays[i] = StepMemory.outside(() -> array.castTo(value.dataType()));
      }
    }
    return state;
  }

  // ------------------------------------------------------------ helpers

  /** y += alpha x, in place, in one native op that handles any strides and orders. */
  protected static void axpy(double alpha, INDArray x, INDArray y) {
    Nd4j.exec(new Axpy(x, y, y, alpha));
  }

  /** Checks an option given to a constructor, echoing the value like option parsing does. */
  protected final double requireAtLeast(String option, double value, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + ": " + option + " must be >= " + format(min) + " and finite. Received: "
          + option + "=" + value);
    }
    return value;
  }

  /** Checks an option in [0, 1), echoing the value. */
  protected final double requireFraction(String option, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + ": " + option + " must be in [0, 1). Received: " + option + "=" + value);
    }
    return value;
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public String toString() {
    return name + "(lr=" + learningRate + ")";
  }
}
