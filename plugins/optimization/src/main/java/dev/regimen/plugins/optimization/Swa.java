package dev.regimen.plugins.optimization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.BatchStatistics;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.nn.PreciseBatchNorm;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stochastic weight averaging (Izmailov, Podoprikhin, Garipov, Vetrov and Wilson 2018, "Averaging
 * Weights Leads to Wider Optima and Better Generalization", Algorithm 1): the equal-weight average of
 * the weights at the end of the last epochs, then a pass over the training data that computes the
 * batch-norm statistics of the averaged weights (the averaged network's activations differ from
 * every network's it averages, so none of their running statistics fit):
 *
 * <pre>
 *   w_swa = w_swa + (w - w_swa) / (n + 1);  n = n + 1     at the end of epochs start_epoch, start_epoch + every, ...
 *   w = w_swa; then batch-norm statistics from the training data      when training ends
 * </pre>
 *
 * <p>The average covers the trainable parameters; the statistics pass is {@link PreciseBatchNorm}
 * (exact means and variances over every training sample, in training mode without dropout), run only
 * when the model has batch-statistics layers. With {@code lr} set, the learning rate is held constant
 * from {@code start_epoch} on, the paper's constant SWA schedule (set after the schedulers listed
 * before this one). The model is averaged when training ends for any reason, once an epoch was
 * averaged; its weights are then no single epoch's. The average and n are saved in checkpoints, so a
 * resumed run averages the same epochs.
 *
 * <p>Options: {@code start_epoch} (the first averaged epoch, from 0; absent: 75% of the epochs, rounded
 * down, as in the paper's experiments), {@code every} (1, the paper's cycle length c in epochs), {@code
 * lr} (absent: leave the rate to the other schedules), {@code bn_batch_size} (64, the batches of the
 * statistics pass).
 */
public final class Swa implements Scheduler {
  public static final String NAME = "swa";
  private static final Logger LOG = LoggerFactory.getLogger(Swa.class);

  private final Integer startEpoch;
  private final int every;
  private final double lr;
  private final int bnBatchSize;
  private Map<String, INDArray> average;
  private long models;

  public Swa(Options options) {
    this.startEpoch = options.has("start_epoch") ? options.getInt("start_epoch") : null;
    this.every = options.getInt("every");
    this.lr = options.has("lr") ? options.getDouble("lr") : Double.NaN;
    this.bnBatchSize = options.getInt("bn_batch_size");
  }

  /** The first averaged epoch (from 0) of a training of {@code epochs} epochs. */
  int startEpoch(int epochs) {
    return startEpoch != null ? startEpoch : (int) Math.floor(0.75 * epochs);
  }

  /** The averaged parameters by model-wide name, or null before the first averaged epoch. */
  public Map<String, INDArray> average() {
    return average;
  }

  /** How many epochs' weights are in the average. */
  public long models() {
    return models;
  }

  @Override
  public void onEpochStart(TrainingControl control) {
    if (!Double.isNaN(lr) && control.epoch() >= startEpoch(control.epochs())) {
      control.setLearningRate(lr);
    }
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void onEpochEnd(TrainingControl control) {
    int start = startEpoch(control.epochs());
    int e = control.epoch();
    if (e >= start && (e - start) % every == 0) {
      List<Parameter> parameters = Layers.parameters(control.model());
      if (average == null) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        parameters.forEach(p -> weights.put(p.name(), p.value().array()));
        average = ModelArrays.copy(weights);
        models = 1;
      } else {
        models++;
        double rate = 1.0 / models;
        try (StepMemory.Scope ignored = StepMemory.open(NAME)) {
          for (Parameter p : parameters) {
            INDArray a = average.get(p.name());
            a.addi(p.value().array().sub(a).muli(rate));
          }
        }
      }
    }
    control.record("swa_models", models);
  }

  @Override
  public void onTrainEnd(TrainingControl control) {
    if (average == null) {
      return;
    }
    control.restoreWeights(average);
    boolean batchStatistics = Layers.all(control.model()).stream().anyMatch(l -> l instanceof BatchStatistics);
    if (batchStatistics && control.trainingSize() > 0) {
      int layers = PreciseBatchNorm.reestimate(control.model(), control.trainingSample(control.trainingSize()).inputs(),
          Math.min(bnBatchSize, Math.max(2, control.trainingSize())), new Rng(models).fork(NAME));
      LOG.info("swa: the model holds the average of {} epochs' weights, with batch statistics of {} layer(s)"
          + " recomputed on {} training samples", models, layers, control.trainingSize());
    } else {
      LOG.info("swa: the model holds the average of {} epochs' weights", models);
    }
  }

  @Override
  public Map<String, Object> state() {
    return Map.of("models", models);
  }

  @Override
  public void loadState(Map<String, Object> state) {
    models = ((Number) state.get("models")).longValue();
  }

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
    return NAME + "(start_epoch=" + (startEpoch == null ? "75%" : startEpoch) + ", every=" + every
        + (Double.isNaN(lr) ? "" : ", lr=" + lr) + ")";
  }

  /** Makes {@code swa}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME, "Stochastic weight averaging (Izmailov et al. 2018): the mean of the last"
          + " epochs' weights, then fresh batch-norm statistics", List.of(
              OptionSpec.of("start_epoch", OptionType.INT, null, "the first averaged epoch, from 0; absent: 75% of"
                  + " the epochs").atLeast(0),
              OptionSpec.of("every", OptionType.INT, 1, "epochs between averaged weights").atLeast(1),
              OptionSpec.of("lr", OptionType.DOUBLE, null, "a constant learning rate from start_epoch on; absent:"
                  + " the other schedules decide").atLeast(0),
              OptionSpec.of("bn_batch_size", OptionType.INT, 64, "batch size of the batch-norm statistics pass")
                  .atLeast(2)));
    }

    @Override
    public Scheduler create(Options options) {
      return new Swa(options);
    }
  }
}
