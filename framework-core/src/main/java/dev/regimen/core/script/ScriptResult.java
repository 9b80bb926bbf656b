package dev.regimen.core.script;

import java.util.List;
import java.util.Map;

/**
 * What a script run leaves behind.
 *
 * @param trainings every {@code fit} the script ran, in order (also those that failed or were interrupted)
 * @param evaluations every {@code trainer.evaluate} the script ran, in order
 * @param params every parameter the script asked for with {@code rg.param}, with the value it got
 *     (the {@code --set} override or the default)
 * @param output the script's standard output (and error) when {@link RunOptions#out()} was not given;
 *     empty when it was passed through
 * @param warnings what the user should know: {@code --set} keys the script never asked for, ...
 * @param interrupted whether {@link ScriptRunner#interrupt()} stopped the run
 */
public record ScriptResult(
    List<TrainingRecord> trainings,
    List<EvaluationRecord> evaluations,
    Map<String, Object> params,
    String output,
    List<String> warnings,
    boolean interrupted) {

  public ScriptResult {
    trainings = List.copyOf(trainings);
    evaluations = List.copyOf(evaluations);
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    warnings = List.copyOf(warnings);
  }

  /** The last training, or an error if the script trained nothing. */
  public TrainingRecord lastTraining() {
    if (trainings.isEmpty()) {
      throw new IllegalStateException("The script ran no training");
    }
    return trainings.get(trainings.size() - 1);
  }
}
