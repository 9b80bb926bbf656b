package dev.regimen.api.train;

/**
 * The hyper-parameters one parameter has of its own in an optimizer (PyTorch's parameter groups,
 * timm's layer-wise learning-rate decay): given to {@link Optimizer#setParameterOptions} by
 * model-wide parameter name.
 *
 * @param lrScale the multiplier of the optimizer's learning rate for this parameter (a schedule moves
 *     the base rate; the scale stays), positive and finite
 * @param decays whether decoupled weight decay applies to it (by default only to {@link
 *     dev.regimen.api.nn.Parameter#weight() weights}, not biases and normalization parameters)
 * @param weightDecay its decay rate, or NaN for the optimizer's own; an optimizer without a decay of
 *     its own (SGD, Adam) applies a given rate decoupled, p = p - lr lrScale weightDecay p before its step
 */
public record ParameterOptions(double lrScale, boolean decays, double weightDecay) {

  public ParameterOptions {
    if (!(lrScale >= 0) || Double.isInfinite(lrScale)) {
      throw new IllegalArgumentException("lr_scale must be a finite number >= 0. Received: lr_scale=" + lrScale);
    }
    if (!Double.isNaN(weightDecay) && (!(weightDecay >= 0) || Double.isInfinite(weightDecay))) {
      throw new IllegalArgumentException("weight_decay must be a finite number >= 0. Received: weight_decay="
          + weightDecay);
    }
  }

  /** What a parameter has without options of its own: the optimizer's rate and decay, the decay for weights only. */
  public static ParameterOptions defaults(boolean weight) {
    return new ParameterOptions(1, weight, Double.NaN);
  }
}
