package dev.regimen.api.nn;

/**
 * Marks a layer that normalizes with the statistics of the batch in training and with running
 * statistics at evaluation (batch norm). Diagnostics use it to measure the variance shift at its
 * input; re-estimation of the running statistics ("precise BN") drives it through these methods.
 */
public interface BatchStatistics extends Layer {

  /** Starts accumulating exact (not exponential) averages of the batch statistics, forgetting the running ones. */
  void beginExactStatistics();

  /** Makes the exact averages the running statistics, and returns to exponential updates. */
  void endExactStatistics();
}
