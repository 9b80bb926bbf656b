package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fast gradient sign method (FGSM) of Goodfellow, Shlens and Szegedy 2015, "Explaining and
 * Harnessing Adversarial Examples" (ICLR), section 4: the perturbation of max-norm eps that increases
 * a first-order approximation of the loss J the most,
 * <pre>
 *   x_adv = clip(x + eps * sign(grad_x J(theta, x, y)), clip_min, clip_max)
 * </pre>
 * Each input element moves by exactly eps in the direction that raises the loss (before clipping);
 * an element whose gradient is exactly zero does not move (sign(0) = 0). The result is a constant: no
 * gradient flows through the attack into the parameters, as in the paper.
 *
 * <p>{@code clip_min} / {@code clip_max} keep the adversarial inputs in the data's valid range, e.g.
 * [0, 1] for scaled pixels; either may be left out (no bound on that side). They are off by default:
 * the valid range depends on the data and its normalization.
 */
public final class Fgsm {
  private Fgsm() {}

  /**
   * x + eps * sign(gradient), clipped to [clipMin, clipMax] (an infinite bound does not clip), in the
   * inputs' type; neither argument is changed.
   */
  public static INDArray perturb(INDArray x, INDArray gradient, double eps, double clipMin, double clipMax) {
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("FGSM: eps must be a finite number >= 0. Received: eps=" + eps);
    }
    if (!java.util.Arrays.equals(x.shape(), gradient.shape())) {
      throw new IllegalArgumentException("FGSM: the gradient's shape " + java.util.Arrays.toString(gradient.shape())
          + " differs from the inputs' " + java.util.Arrays.toString(x.shape()));
    }
    INDArray out = eps == 0 ? x.dup() : x.add(Transforms.sign(gradient.castTo(x.dataType()), true).muli(eps));
    if (clipMin > Double.NEGATIVE_INFINITY) {
      out = Transforms.max(out, clipMin, false);
    }
    if (clipMax < Double.POSITIVE_INFINITY) {
      out = Transforms.min(out, clipMax, false);
    }
    return out;
  }

  /** {@link #perturb(INDArray, INDArray, double, double, double)} on tensors; the result is a constant. */
  public static Tensor perturb(Tensor x, Tensor gradient, double eps, double clipMin, double clipMax) {
    return Tensor.of(perturb(x.array(), gradient.array(), eps, clipMin, clipMax));
  }

  /** The {@code eps} option. */
  static OptionSpec epsOption(String meaning) {
    return OptionSpec.of("eps", OptionType.DOUBLE, 0.1, meaning + ": the max-norm size of the perturbation,"
        + " in the units of the inputs the model sees (for pixels in [0, 1], a fraction of the range; for"
        + " z-scored data, standard deviations)").atLeast(0);
  }

  /** The {@code clip_min} and {@code clip_max} options. */
  static List<OptionSpec> clipOptions() {
    return List.of(
        OptionSpec.of("clip_min", OptionType.DOUBLE, null,
            "lower bound of the valid input range the adversarial inputs are clipped to (e.g. 0 for pixels in"
                + " [0, 1]); default none"),
        OptionSpec.of("clip_max", OptionType.DOUBLE, null,
            "upper bound of the valid input range the adversarial inputs are clipped to (e.g. 1 for pixels in"
                + " [0, 1]); default none"));
  }

  /** The valid input range of the clip options: -infinity / +infinity where one is not given. */
  static double[] clipRange(Options options) {
    double min = options.has("clip_min") ? options.getDouble("clip_min") : Double.NEGATIVE_INFINITY;
    double max = options.has("clip_max") ? options.getDouble("clip_max") : Double.POSITIVE_INFINITY;
    options.check(Double.isFinite(min) || min == Double.NEGATIVE_INFINITY,
        "clip_min must be a finite number. Received: clip_min=" + min);
    options.check(Double.isFinite(max) || max == Double.POSITIVE_INFINITY,
        "clip_max must be a finite number. Received: clip_max=" + max);
    options.check(min < max, "clip_min must be below clip_max. Received: clip_min=" + min + ", clip_max=" + max);
    return new double[] {min, max};
  }
}
