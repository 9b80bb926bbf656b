package dev.regimen.api.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reacts to training events: learning-rate schedules, early stopping, curriculum pacing,
 * diagnostics, weight averaging. Listener methods start with {@code on} (DJL's convention). State that must survive
 * a checkpoint (counters, best values) goes through {@link #state()} and {@link #loadState(Map)};
 * arrays (early stopping's best weights) through {@link #arrayState()} and
 * {@link #loadArrayState(Map)}, so that a resumed run ends where an uninterrupted one ends.
 */
public interface Scheduler {

  default void onTrainStart(TrainingControl control) {}

  default void onEpochStart(TrainingControl control) {}

  default void onBatchEnd(TrainingControl control) {}

  /**
   * Before the validation of an epoch (only when there is validation data): a scheduler that
   * evaluates other weights than the trained ones (an exponential moving average) puts them in here.
   */
  default void onValidationStart(TrainingControl control) {}

  /**
   * After the validation of an epoch, also when it failed, before {@link #onEpochEnd}: the place to put
   * back what {@link #onValidationStart} changed.
   */
  default void onValidationEnd(TrainingControl control) {}

  /** After validation, when the epoch's metrics are in the history. */
  default void onEpochEnd(TrainingControl control) {}

  /** When training ends for any reason (finished, stopped, failed). */
  default void onTrainEnd(TrainingControl control) {}

  /** State to save in a checkpoint: numbers, strings, booleans and lists of them. */
  default Map<String, Object> state() {
    return Map.of();
  }

  default void loadState(Map<String, Object> state) {}

  /**
   * Arrays to save in a checkpoint beside {@link #state()}, by name (the checkpoint stores them under
   * a prefix of this scheduler's own). The arrays are read when the checkpoint is written; none by
   * default.
   */
  default Map<String, INDArray> arrayState() {
    return Map.of();
  }

  /** Puts back the arrays of {@link #arrayState()} from a checkpoint (called after {@link #loadState}). */
  default void loadArrayState(Map<String, INDArray> arrays) {}
}
