package dev.regimen.core.script;

import dev.regimen.api.train.History;
import dev.regimen.core.train.TrainingResult;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code trainer.fit(...)} of a script, as plain data for reports.
 *
 * @param name the trainer's name ({@code train-1}, ... unless the script named it)
 * @param config how it was set up, as a script would write it: loss, optimizer and their options,
 *     epochs, batch size, seed, regularizers, augmenters, schedulers, metrics, frozen layers, the model's
 *     layers and the data sizes
 * @param history every metric per epoch
 * @param keptEpoch the epoch (from 0) whose weights the model holds at the end: the last one, or the
 *     one early stopping put back; -1 if unknown or none completed
 * @param stopReason why training ended early (early stopping, a failure, an interrupt), or {@code null}
 * @param interrupted whether it was stopped by {@link ScriptRunner#interrupt()}
 * @param checkpointDir where its checkpoints went, or {@code null}
 */
public record TrainingRecord(
    String name,
    Map<String, Object> config,
    History history,
    int keptEpoch,
    String stopReason,
    boolean interrupted,
    Path checkpointDir) {

  public TrainingRecord {
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /**
   * The metrics of the weights the model holds: those of {@link #keptEpoch()}, else of the last epoch;
   * empty if no epoch completed.
   */
  public Map<String, Double> finalMetrics() {
    return TrainingResult.keptMetrics(history, keptEpoch);
  }

  /** Whether the model holds the weights of an earlier epoch than the last (early stopping restored them). */
  public boolean restoredEarlierEpoch() {
    return keptEpoch >= 0 && keptEpoch < history.epochs() - 1;
  }
}
