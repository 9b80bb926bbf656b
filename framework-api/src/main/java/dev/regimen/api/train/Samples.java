package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;

/**
 * A data set as the API sees it: N samples, their features [N, ...] and their targets, in a fixed
 * order. The host's data sets implement it (framework-core's {@code Dataset}), so that a component
 * can take training and validation data from its caller, look at them, and hand them back to the
 * host's trainer through {@link TrainingSetup#fit} without naming the host's classes; FitNets runs
 * its two training stages this way.
 */
public interface Samples {

  /** The features of every sample, [N, ...]. */
  Tensor features();

  /** The targets of every sample: class labels [N] (as floats) or values [N, ...]. */
  Tensor targets();

  /** The number of samples, N. */
  int size();

  /** The shape of one sample's features, e.g. [64] or [1, 8, 8]. */
  long[] sampleShape();

  /** The samples at the given row indices, in that order (a copy). */
  Samples subset(int[] indices);
}
