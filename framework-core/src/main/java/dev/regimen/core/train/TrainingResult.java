package dev.regimen.core.train;

import dev.regimen.api.train.History;
import dev.regimen.api.train.TrainingOutcome;
import java.util.Map;

/**
 * What {@link Trainer#fit} leaves behind; the API sees it as a {@link TrainingOutcome}.
 *
 * @param epochsRun epochs completed in this call plus those of a resumed checkpoint
 * @param stopReason why training ended early ({@code null} if it ran every epoch)
 * @param interrupted whether it stopped because {@link Trainer#interrupt()} was called
 * @param keptEpoch the epoch (from 0) whose weights the model holds at the end: the last one, or the
 *     one early stopping put back; -1 if no epoch completed or a scheduler restored weights of an
 *     unknown epoch
 */
public record TrainingResult(History history, int epochsRun, String stopReason, boolean interrupted, int keptEpoch)
    implements TrainingOutcome {

  /** The metrics of the epoch whose weights the model holds (those of the last epoch if unknown); empty if none. */
  public Map<String, Double> keptMetrics() {
    return keptMetrics(history, keptEpoch);
  }

  /** The metrics of {@code keptEpoch} in {@code history}, else of its last epoch; empty if it has none. */
  public static Map<String, Double> keptMetrics(History history, int keptEpoch) {
    if (keptEpoch >= 0 && keptEpoch < history.epochs()) {
      return history.epoch(keptEpoch);
    }
    return history.epochs() == 0 ? Map.of() : history.epoch(history.epochs() - 1);
  }
}
