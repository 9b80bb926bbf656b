package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;
import java.util.Map;

/** A quantity accumulated over batches and read at the end of an epoch (accuracy, MSE, ...). */
public interface Metric {

  /** The name in the history, e.g. {@code accuracy}; validation values get the prefix {@code val_}. */
  String name();

  /** Whether larger values are better (early stopping infers its mode from this). */
  boolean higherIsBetter();

  void reset();

  /** Adds one batch: model outputs and targets. */
  void update(Tensor output, Tensor target);

  /** The value over everything since {@link #reset()}. */
  double value();

  /**
   * What has been accumulated since {@link #reset()} (counts, sums), for a checkpoint taken in the
   * middle of an epoch: numbers, strings, booleans and lists of them. A metric that keeps none reports
   * only the batches after a resume for the epoch it resumed in.
   */
  default Map<String, Object> state() {
    return Map.of();
  }

  /** Puts back what {@link #state()} returned (after {@link #reset()}); an empty map changes nothing. */
  default void loadState(Map<String, Object> state) {}
}
