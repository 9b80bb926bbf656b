package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;

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
}
