package dev.regimen.core.train;

/**
 * Which checkpoints a training writes under its checkpoint folder, beside {@code last/} (after every
 * epoch and on an interrupt, always):
 *
 * <ul>
 *   <li>{@code best/}, the epoch with the best monitored metric, and with {@code keepBest} k &gt; 1 also
 *       the k best epochs as {@code top/epoch-<n>/} (from 1), the others pruned as better ones come;
 *   <li>{@code periodic/step-<n>/} every {@code everySteps} optimizer steps and every {@code everyMinutes}
 *       minutes of training, resumable in the middle of an epoch, the newest {@code keepPeriodic} kept;
 *   <li>{@code error/} when training fails with an exception (a non-finite loss the NaN guard stops on,
 *       a failing callback): the weights as they were, with the error in its state.
 * </ul>
 *
 * <p>Every checkpoint holds what {@code last/} holds (weights, optimizer and scheduler state, history,
 * the position in the data), so any of them can be resumed from or exported.
 *
 * @param keepBest how many best epochs to keep; 0 for no {@code best/}, 1 (the default) for {@code best/} alone
 * @param everySteps optimizer steps between periodic checkpoints; 0 for none
 * @param everyMinutes minutes of training between periodic checkpoints; 0 for none
 * @param keepPeriodic how many periodic checkpoints to keep, at least 1
 * @param onError whether to write {@code error/} when training fails
 */
public record CheckpointPolicy(int keepBest, long everySteps, double everyMinutes, int keepPeriodic, boolean onError) {

  /** {@code best/} and {@code last/}, no periodic checkpoints, {@code error/} on a failure. */
  public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(1, 0, 0, 3, true);

  public CheckpointPolicy {
    if (keepBest < 0) {
      throw new IllegalArgumentException("keep_best must be at least 0. Received: keep_best=" + keepBest);
    }
    if (everySteps < 0) {
      throw new IllegalArgumentException("every_steps must be at least 0. Received: every_steps=" + everySteps);
    }
    if (!(everyMinutes >= 0) || Double.isInfinite(everyMinutes)) {
      throw new IllegalArgumentException("every_minutes must be a finite number >= 0. Received: every_minutes="
          + everyMinutes);
    }
    if (keepPeriodic < 1) {
      throw new IllegalArgumentException("keep_periodic must be at least 1. Received: keep_periodic=" + keepPeriodic);
    }
  }

  /** Whether any periodic checkpoint is asked for. */
  public boolean periodic() {
    return everySteps > 0 || everyMinutes > 0;
  }
}
