package dev.regimen.api.train;

import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/**
 * A regularizer acts through a penalty added to the loss (L1, L2), through hooks around the
 * forward pass and the optimizer step (Gaussian weight noise, decoupled weight decay, gradient
 * clipping), or both. {@code afterBackward} is called for every {@code beforeForward}, even when the
 * step stops on a non-finite loss, so a hook that perturbs weights can always put them back.
 * The trainer passes only parameters that are trainable and not frozen.
 *
 * <p>The order of one update: for each of its micro-batches (one, unless gradients are accumulated)
 * {@code beforeForward}, the forward pass, {@code penalty}, {@code backward}, {@code afterBackward};
 * then {@link #onGradients} once on the update's whole gradient; then {@code beforeStep}, the
 * optimizer's step, {@code afterStep}. An optimizer that evaluates the gradient again within its step
 * (sharpness-aware minimization, through {@link Optimizer.Closure}) repeats the micro-batches and
 * {@code onGradients}, not the step hooks.
 */
public interface Regularizer {

  /** What a hook may use. */
  interface Context {
    Rng rng();

    double learningRate();

    int epoch();
  }

  /** A scalar added to the loss, or {@code null} for none. */
  default Tensor penalty(List<Parameter> parameters) {
    return null;
  }

  /** Before the training forward pass (weight noise perturbs weights here). */
  default void beforeForward(List<Parameter> parameters, Context ctx) {}

  /** After {@code backward}, before the optimizer step (weight noise restores the clean weights here). */
  default void afterBackward(List<Parameter> parameters, Context ctx) {}

  /**
   * Once the gradient of an update is complete (summed over its micro-batches), before {@code
   * beforeStep}, and again after each re-evaluation an optimizer asks for: hooks that change the
   * gradient itself act here (gradient clipping), on whichever gradient the optimizer steps with.
   */
  default void onGradients(List<Parameter> parameters, Context ctx) {}

  /**
   * Just before the optimizer step, on the weights the gradient was taken at (decoupled weight decay
   * shrinks weights here, as AdamW does).
   */
  default void beforeStep(List<Parameter> parameters, Context ctx) {}

  /** Just after the optimizer step (constraints such as max-norm would act here). */
  default void afterStep(List<Parameter> parameters, Context ctx) {}
}
