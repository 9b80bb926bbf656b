package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;

/**
 * One mini-batch: inputs [N, ...] and targets, which are integer class labels [N] (stored as
 * floats), soft class distributions [N, K], or regression values [N, D].
 *
 * @param indices the dataset rows of these samples (for curriculum and per-sample scores), or {@code null}
 */
public record Batch(Tensor inputs, Tensor targets, int[] indices) {
  public Batch(Tensor inputs, Tensor targets) {
    this(inputs, targets, null);
  }

  public long size() {
    return inputs.size(0);
  }

  /** The same samples with new inputs (an augmented copy). */
  public Batch withInputs(Tensor newInputs) {
    return new Batch(newInputs, targets, indices);
  }

  /** The same samples with new targets (smoothed or mixed labels). */
  public Batch withTargets(Tensor newTargets) {
    return new Batch(inputs, newTargets, indices);
  }
}
