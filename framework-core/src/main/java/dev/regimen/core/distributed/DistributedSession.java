package dev.regimen.core.distributed;

import java.util.List;

/**
 * One training's use of a {@link DistributedEngine}: each call runs one task per element of {@code tasks} (one
 * per worker), each with {@link Workers}, on the bytes {@code state} that every task shares (sent once per call
 * to each worker, a broadcast), and combines the results with {@code merge}.
 */
public interface DistributedSession extends AutoCloseable {

  /** {@link Workers#gradients} for every task, the results merged ({@link GradientSum#merge}). */
  GradientSum gradients(byte[] state, List<GradientTask> tasks);

  /** {@link Workers#localSteps} for every task, the results merged ({@link ParameterSum#merge}). */
  ParameterSum localSteps(byte[] state, List<RoundTask> tasks);

  /** Where it runs, for the log: {@code Spark 4.1.1, master local[2]}. */
  String describe();

  /**
   * What happened since the last call that the run should say: a worker's task that failed and was retried, with
   * why. Empty when nothing did.
   *
   * @param flush whether to wait first for the reports the engine has not delivered yet (an engine may report
   *     asynchronously); the driver flushes once, at the end of the training
   */
  List<String> drainEvents(boolean flush);

  /** Stops what {@link DistributedEngine#open} started (not an engine it joined). */
  @Override
  void close();
}
