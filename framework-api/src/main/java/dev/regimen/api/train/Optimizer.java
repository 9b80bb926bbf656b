package dev.regimen.api.train;

import dev.regimen.api.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates parameters in place from their gradients. Per-parameter state (momentum, moment
 * estimates) is keyed by the parameter's model-wide name, so a checkpoint restores it exactly.
 */
public interface Optimizer {

  /** One update of every parameter that has a gradient; runs without recording ops. */
  void step(List<Parameter> parameters);

  /**
   * Evaluates the training loss and its gradient again, at the parameters' current values, on the
   * data of the step being taken (PyTorch's {@code optimizer.step(closure)}): an optimizer that moves
   * the weights before it updates them (sharpness-aware minimization's ascent step) calls it.
   */
  @FunctionalInterface
  interface Closure {
    /**
     * Replaces every parameter's gradient by the gradient at its current value, as the trainer makes
     * it before a step (gradient accumulation and clipping included), and returns the loss. A loss that
     * is not finite leaves the gradients undefined; the optimizer should then put its weights back and
     * return without an update, and the trainer treats the step as a non-finite loss.
     */
    double evaluate();
  }

  /**
   * One update, with a way to evaluate the loss and gradient again at other weights; the trainer
   * calls this one, with the gradient at the current weights already in the parameters. By default the
   * closure is not used: {@code step(parameters)}.
   */
  default void step(List<Parameter> parameters, Closure closure) {
    step(parameters);
  }

  double learningRate();

  void setLearningRate(double lr);

  /** The number of steps taken. */
  long steps();

  /** Every state array, named {@code <parameter>.<slot>}. */
  Map<String, INDArray> state();

  /** Restores state saved by {@link #state()} together with the step count. */
  void loadState(Map<String, INDArray> state, long steps);

  /**
   * Gives parameters hyper-parameters of their own, by model-wide name (parameter groups, layer-wise
   * learning-rate decay), replacing any given before; a parameter not named keeps {@link
   * ParameterOptions#defaults}. The trainer calls it before the first step when a training has
   * parameter groups. An optimizer that cannot honour them refuses a map that is not empty.
   *
   * @throws UnsupportedOperationException by default, for any options at all
   */
  default void setParameterOptions(Map<String, ParameterOptions> options) {
    if (!options.isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support parameter groups"
          + " (a learning rate or weight decay per parameter); the built-in optimizers do");
    }
  }
}
