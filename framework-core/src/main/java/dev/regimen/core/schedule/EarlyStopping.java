package dev.regimen.core.schedule;

import dev.regimen.api.component.Options;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training when a monitored metric has not improved by more than {@code min_delta} for
 * {@code patience} epochs (Prechelt 1998, "Early Stopping - But When?"), and, when training ends for
 * any reason (finished, stopped, failed), puts back the weights of the best epoch.
 *
 * <p>The direction comes from the metric's name ({@link MetricDirection}): minimizing a loss,
 * maximizing an accuracy; {@code mode} overrides it.
 */
public final class EarlyStopping implements Scheduler {
  private static final Logger LOG = LogManager.getLogger(EarlyStopping.class);

  private final String monitor;
  private final MetricDirection direction;
  private final int patience;
  private final double minDelta;
  private final boolean restoreBest;
  private double best = Double.NaN;
  private int bestEpoch = -1;
  private int wait;
  private Map<String, INDArray> bestWeights;

  public EarlyStopping(Options options) {
    this.monitor = options.getString("monitor");
    this.direction = MetricDirection.resolve(options.getString("mode"), monitor, options.owner());
    this.patience = options.getInt("patience");
    this.minDelta = options.getDouble("min_delta");
    this.restoreBest = options.getBoolean("restore_best");
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    OptionalDouble value = control.history().last(monitor);
    if (value.isEmpty() || !control.history().epoch(control.epoch()).containsKey(monitor)) {
      throw new IllegalStateException("early_stopping monitors '" + monitor + "', which this training does not record. "
          + "Recorded: " + String.join(", ", control.history().epoch(control.epoch()).keySet())
          + (monitor.startsWith("val_") ? " (is there validation data?)" : ""));
    }
    double v = value.getAsDouble();
    if (direction.improves(v, best, minDelta)) {
      best = v;
      bestEpoch = control.epoch();
      wait = 0;
      if (restoreBest) {
        bestWeights = control.snapshotWeights();
      }
    } else if (++wait >= patience) {
      control.requestStop(String.format(java.util.Locale.ROOT,
          "early stopping: %s has not improved for %d epochs (best %.6g at epoch %d)", monitor, wait, best,
          bestEpoch + 1));
    }
  }

  @Override
  public void onTrainEnd(TrainingControl control) {
    if (restoreBest && bestWeights != null) {
      control.restoreWeights(bestWeights, bestEpoch);
      LOG.info("early_stopping restored the weights of epoch {} ({}={})", bestEpoch + 1, monitor, best);
    }
  }

  /** The best value seen, or NaN. */
  public double best() {
    return best;
  }

  /** The 0-based epoch of the best value, or -1. */
  public int bestEpoch() {
    return bestEpoch;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("best", best);
    s.put("best_epoch", bestEpoch);
    s.put("wait", wait);
    return s;
  }

  @Override
  public void loadState(Map<String, Object> state) {
    best = ((Number) state.get("best")).doubleValue();
    bestEpoch = ((Number) state.get("best_epoch")).intValue();
    wait = ((Number) state.get("wait")).intValue();
  }

  /** The best epoch's weights, so that a resumed run still puts them back at the end. */
  @Override
  public Map<String, INDArray> arrayState() {
    return bestWeights == null ? Map.of() : bestWeights;
  }

  @Override
  public void loadArrayState(Map<String, INDArray> arrays) {
    bestWeights = arrays.isEmpty() ? null : new LinkedHashMap<>(arrays);
  }
}
