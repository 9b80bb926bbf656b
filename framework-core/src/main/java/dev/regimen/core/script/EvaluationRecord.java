package dev.regimen.core.script;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code trainer.evaluate(model, data)} of a script, for the console's summary and the report.
 *
 * @param trainer the trainer's name, as in its {@link TrainingRecord}
 * @param data the split evaluated on ({@code test}, {@code validation}, {@code train}), or {@code data}
 *     for a set no loader split
 * @param samples how many samples were evaluated
 * @param metrics the loss and every metric, as {@code evaluate} returned them
 */
public record EvaluationRecord(String trainer, String data, int samples, Map<String, Double> metrics) {
  public EvaluationRecord {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** Whether it evaluated a test split, whose metrics are the run's result. */
  public boolean onTestSet() {
    return "test".equals(data);
  }
}
