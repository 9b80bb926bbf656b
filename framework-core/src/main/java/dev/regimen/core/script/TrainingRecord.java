package dev.regimen.core.script;

import dev.regimen.api.train.History;
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
 * @param finalMetrics the metrics of the last epoch
 * @param stopReason why training ended early (early stopping, a failure, an interrupt), or {@code null}
 * @param interrupted whether it was stopped by {@link ScriptRunner#interrupt()}
 * @param checkpointDir where its checkpoints went, or {@code null}
 */
public record TrainingRecord(
    String name,
    Map<String, Object> config,
    History history,
    Map<String, Double> finalMetrics,
    String stopReason,
    boolean interrupted,
    Path checkpointDir) {

  public TrainingRecord {
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
  }
}
