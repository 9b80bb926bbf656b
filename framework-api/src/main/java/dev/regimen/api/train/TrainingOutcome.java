package dev.regimen.api.train;

/**
 * What a finished training run leaves behind, as {@link TrainingSetup#fit} returns it: the history
 * of every metric by epoch, and how the run ended. The host's result type implements it
 * (framework-core's {@code TrainingResult}).
 */
public interface TrainingOutcome {

  /** Every metric by epoch ({@code loss}, {@code val_loss}, the configured metrics). */
  History history();

  /** The epochs completed, including those of a checkpoint the run resumed from. */
  int epochsRun();

  /** Why training ended early (a scheduler's reason), or {@code null} if it ran every epoch. */
  String stopReason();

  /** Whether it stopped because it was interrupted (Ctrl-C). */
  boolean interrupted();
}
