package dev.regimen.plugins.optimization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exponential moving average of the weights (Polyak and Juditsky 1992, "Acceleration of
 * Stochastic Approximation by Averaging"; in its exponential form as timm's {@code ModelEmaV3} and
 * Keras' {@code use_ema}), updated after every training step t (from 1):
 *
 * <pre>
 *   d_t = decay                                  or   min(decay, (1 + t) / (10 + t))   with warmup
 *   e   = e + (1 - d_t) (w - e)                  for every parameter and buffer w
 * </pre>
 *
 * <p>The average starts as a copy of the weights when training starts. It covers the running
 * statistics of batch norm too, as timm's does. The update is written as a step from e towards w, so
 * where the weights do not change their average is exactly the weights.
 *
 * <p>Validation sees the average: it is swapped into the model for each epoch's validation and the
 * trained weights are put back afterwards, so {@code val_*} metrics (and what they select: early
 * stopping, the best checkpoint) measure the averaged model, while training goes on from the
 * trained weights. When training ends, the model keeps the average ({@code swap_at_end}), after
 * the schedulers listed before this one have ended. Checkpoints hold the average among this
 * scheduler's arrays and the update count in its state, so a resumed run averages on exactly; the
 * model arrays of a checkpoint are the trained weights.
 *
 * <p>Options: {@code decay} (0.9998, timm's default; at a few hundred steps per epoch 0.99 to 0.999
 * suits a short run), {@code warmup} (false), {@code evaluate} (true: validate the average), {@code
 * swap_at_end} (true).
 */
public final class Ema implements Scheduler {
  public static final String NAME = "ema";
  private static final Logger LOG = LoggerFactory.getLogger(Ema.class);

  private final double decay;
  private final boolean warmup;
  private final boolean evaluate;
  private final boolean swapAtEnd;
  private Map<String, INDArray> average;
  private Map<String, INDArray> trained;
  private long updates;

  public Ema(Options options) {
    this.decay = options.getDouble("decay");
    this.warmup = options.getBoolean("warmup");
    this.evaluate = options.getBoolean("evaluate");
    this.swapAtEnd = options.getBoolean("swap_at_end");
  }

  /** The decay of update t (from 1). */
  double decayAt(long t) {
    return warmup ? Math.min(decay, (1.0 + t) / (10.0 + t)) : decay;
  }

  /** The averaged weights by model-wide name (the live arrays), or null before training starts. */
  public Map<String, INDArray> average() {
    return average;
  }

  @Override
  public void onTrainStart(TrainingControl control) {
    if (average == null) {
      average = ModelArrays.copy(control.model());
    }
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void onBatchEnd(TrainingControl control) {
    updates++;
    double rate = 1 - decayAt(updates);
    Map<String, INDArray> weights = ModelArrays.live(control.model());
    try (StepMemory.Scope ignored = StepMemory.open(NAME)) {
      average.forEach((name, e) -> e.addi(weights.get(name).sub(e).muli(rate)));
    }
  }

  @Override
  public void onValidationStart(TrainingControl control) {
    if (evaluate && average != null) {
      trained = ModelArrays.copy(control.model());
      ModelArrays.assign(control.model(), average, NAME);
    }
  }

  @Override
  public void onValidationEnd(TrainingControl control) {
    if (trained != null) {
      ModelArrays.assign(control.model(), trained, NAME);
      trained = null;
    }
  }

  @Override
  public void onTrainEnd(TrainingControl control) {
    if (swapAtEnd && average != null && updates > 0) {
      control.restoreWeights(average); // the model's weights are no epoch's any more
      LOG.info("ema: the model holds the moving average of its weights over {} steps (decay {})", updates, decay);
    }
  }

  @Override
  public Map<String, Object> state() {
    return Map.of("updates", updates);
  }

  @Override
  public void loadState(Map<String, Object> state) {
    updates = ((Number) state.get("updates")).longValue();
  }

  /** The average, so that a resumed run goes on averaging from it. */
  @Override
  public Map<String, INDArray> arrayState() {
    return average == null ? Map.of() : average;
  }

  @Override
  public void loadArrayState(Map<String, INDArray> arrays) {
    average = arrays.isEmpty() ? null : ModelArrays.copy(arrays);
  }

  @Override
  public String toString() {
    return NAME + "(decay=" + decay + ", warmup=" + warmup + ")";
  }

  /** Makes {@code ema}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME, "Exponential moving average of the weights (Polyak & Juditsky 1992), used"
          + " for validation and kept at the end", List.of(
              OptionSpec.of("decay", OptionType.DOUBLE, 0.9998, "the weight of the old average at each step, e ="
                  + " decay e + (1 - decay) w").rangeExclusive(0, 1),
              OptionSpec.of("warmup", OptionType.BOOLEAN, false, "use min(decay, (1 + t) / (10 + t)) at step t, so"
                  + " early steps count more"),
              OptionSpec.of("evaluate", OptionType.BOOLEAN, true, "validate the average instead of the trained"
                  + " weights"),
              OptionSpec.of("swap_at_end", OptionType.BOOLEAN, true, "leave the average in the model when training"
                  + " ends")));
    }

    @Override
    public Scheduler create(Options options) {
      return new Ema(options);
    }
  }
}
