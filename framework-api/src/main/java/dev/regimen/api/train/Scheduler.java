package dev.regimen.api.train;

import java.util.Map;

/**
 * Reacts to training events: learning-rate schedules, early stopping, curriculum pacing,
 * diagnostics. Listener methods start with {@code on} (DJL's convention). State that must survive
 * a checkpoint (counters, best values) goes through {@link #state()} and {@link #loadState(Map)}.
 */
public interface Scheduler {

  default void onTrainStart(TrainingControl control) {}

  default void onEpochStart(TrainingControl control) {}

  default void onBatchEnd(TrainingControl control) {}

  /** After validation, when the epoch's metrics are in the history. */
  default void onEpochEnd(TrainingControl control) {}

  /** When training ends for any reason (finished, stopped, failed). */
  default void onTrainEnd(TrainingControl control) {}

  /** State to save in a checkpoint: numbers, strings, booleans and lists of them. */
  default Map<String, Object> state() {
    return Map.of();
  }

  default void loadState(Map<String, Object> state) {}
}
