package dev.regimen.plugins.diagnostics;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The base of the diagnostics: a scheduler that, at the end of chosen epochs, measures the model and
 * records every number into the history ({@link TrainingControl#record}), after validation, so the
 * numbers describe the weights the epoch ended with.
 *
 * <p>Options {@code every} and {@code epochs} choose the epochs: every n-th epoch, and/or the epochs
 * listed, counted from 1 as the training log counts them. Without either, every epoch. With only
 * {@code epochs}, only those.
 *
 * <p>{@link #measure} can also be called directly, from Java or a script, on any model at any time.
 */
public abstract class Diagnostic implements Scheduler {
  private final Integer every;
  private final Set<Integer> epochs;

  protected Diagnostic(Options options) {
    this.epochs = options.has("epochs") ? new TreeSet<>(options.getIntList("epochs")) : Set.of();
    this.every = options.has("every") ? Integer.valueOf(options.getInt("every")) : epochs.isEmpty() ? 1 : null;
  }

  /** The options that choose the epochs, for a factory's option list. */
  static List<OptionSpec> scheduleOptions() {
    return List.of(
        OptionSpec.of("every", OptionType.INT, null,
            "measure at the end of every n-th epoch; default 1 (each epoch) unless 'epochs' is given").atLeast(1),
        OptionSpec.of("epochs", OptionType.INT_LIST, null,
            "measure at the end of these epochs, counted from 1 as the log counts them").atLeast(1));
  }

  /** The schedule options followed by a diagnostic's own. */
  static List<OptionSpec> withScheduleOptions(List<OptionSpec> own) {
    List<OptionSpec> all = new ArrayList<>(scheduleOptions());
    all.addAll(own);
    return all;
  }

  /** Whether this diagnostic measures at the end of this epoch (counted from 0, as {@link TrainingControl#epoch()}). */
  public final boolean measuresAt(int epoch) {
    int n = epoch + 1;
    return (every != null && n % every == 0) || epochs.contains(n);
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    if (measuresAt(control.epoch())) {
      measure(control.model(), control.epoch()).forEach(control::record);
    }
  }

  /**
   * Measures the model now, without gradients and without changing it.
   *
   * @param epoch the epoch (from 0) the numbers belong to; it also seeds any noise the measurement draws
   * @return metric name to value, in a stable order
   */
  public abstract Map<String, Double> measure(Layer model, int epoch);

  /** Names the layers of a model that was never named (the trainer names them; a direct call may not have). */
  static void ensureNamed(Layer model) {
    for (Layer layer : Layers.all(model)) {
      if (layer.name() == null) {
        Layers.assignNames(model);
        return;
      }
    }
  }
}
