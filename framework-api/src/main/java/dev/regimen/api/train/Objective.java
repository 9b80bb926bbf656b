package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;
import java.util.Map;

/**
 * The quantity training minimizes, from the model's output and the batch: a loss such as softmax
 * cross-entropy, or a composite such as knowledge distillation. It may own parameters (a FitNets
 * regressor) and read taps (hint losses).
 */
public interface Objective {

  /** The scalar loss, averaged over the batch. */
  Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx);

  /** Trainable tensors owned by the objective, by name; none by default. */
  default Map<String, Tensor> parameters() {
    return Map.of();
  }

  /** Tap names the trainer must record during the forward pass for this objective; none by default. */
  default java.util.Set<String> requiredTaps() {
    return java.util.Set.of();
  }
}
