package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Projected gradient descent (PGD) on the negative loss, the attack of Madry, Makelov, Schmidt,
 * Tsipras and Vladu 2018, "Towards Deep Learning Models Resistant to Adversarial Attacks" (ICLR),
 * section 2: FGSM steps of size alpha, each followed by a projection back onto the max-norm ball of
 * radius eps around x (and the valid input range),
 * <pre>
 *   x^0 = x + U(-eps, eps)                                            (random start)
 *   x^(t+1) = P(x^t + alpha * sign(grad_x J(theta, x^t, y))),   t = 0 .. steps - 1
 *   P(z) = min(max(z, max(x - eps, clip_min)), min(x + eps, clip_max))   element-wise
 * </pre>
 * Every step takes the gradient at the current adversarial inputs, so PGD follows the loss where FGSM
 * trusts its linearization at x: the paper shows it as the "ultimate first-order adversary", and at
 * the same eps it finds at least as many errors as FGSM in practice. One step from x with alpha = eps
 * and no random start is FGSM exactly ({@link Fgsm}). The result is a constant: no gradient flows
 * through the attack into the parameters.
 *
 * <p>Options of the components that use it: {@code steps} (10; the paper's 40 on MNIST, 7 on CIFAR),
 * {@code step_size} (alpha; default 2.5 eps / steps, the rule of Madry et al.'s code, so that the
 * steps can cross the ball and back) and {@code random_start} (true, as in the paper).
 */
public final class Pgd {
  private Pgd() {}

  /** The number of steps, the step size (NaN: 2.5 eps / steps) and whether to start at a random point. */
  record Settings(int steps, double stepSize, boolean randomStart) {
    static Settings of(Options options) {
      double stepSize = options.has("step_size") ? options.getDouble("step_size") : Double.NaN;
      options.check(Double.isNaN(stepSize) || (stepSize > 0 && Double.isFinite(stepSize)),
          "step_size must be a positive finite number. Received: step_size=" + stepSize);
      return new Settings(options.getInt("steps"), stepSize, options.getBoolean("random_start"));
    }

    /** alpha at this eps. */
    double stepSizeAt(double eps) {
      return Double.isNaN(stepSize) ? 2.5 * eps / steps : stepSize;
    }

    /** The settings as a component's {@code toString} shows them. */
    String describe() {
      return "steps=" + steps + (Double.isNaN(stepSize) ? "" : ", step_size=" + stepSize)
          + (randomStart ? "" : ", random_start=false");
    }
  }

  /** The {@code steps}, {@code step_size} and {@code random_start} options. */
  static List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("steps", OptionType.INT, 10, "number of projected gradient steps").atLeast(1),
        OptionSpec.of("step_size", OptionType.DOUBLE, null,
            "alpha, the max-norm size of each step; default 2.5 eps / steps").atLeast(0),
        OptionSpec.of("random_start", OptionType.BOOLEAN, true,
            "start from a uniform random point of the eps-ball around x, as in the paper"));
  }

  /**
   * The PGD examples of x in the inputs' type; {@code gradient} gives the loss's gradient at given
   * inputs, {@code rng} draws the random start. Neither x nor anything it returns is changed.
   */
  public static INDArray perturb(INDArray x, UnaryOperator<INDArray> gradient, double eps, double stepSize, int steps,
      boolean randomStart, Rng rng, double clipMin, double clipMax) {
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("PGD: eps must be a finite number >= 0. Received: eps=" + eps);
    }
    if (!(stepSize >= 0) || Double.isInfinite(stepSize) || steps < 1) {
      throw new IllegalArgumentException("PGD: step_size must be a finite number >= 0 and steps at least 1."
          + " Received: step_size=" + stepSize + ", steps=" + steps);
    }
    INDArray low = Transforms.max(x.sub(eps), clipMin, false);
    INDArray high = Transforms.min(x.add(eps), clipMax, false);
    INDArray adversarial = randomStart && eps > 0
        ? project(x.add(rng.uniform(x.dataType(), -eps, eps, x.shape())), low, high)
        : x.dup();
    for (int t = 0; t < steps; t++) {
      INDArray g = gradient.apply(adversarial);
      adversarial = project(Fgsm.perturb(adversarial, g, stepSize, Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY), low, high);
    }
    return adversarial;
  }

  /** z limited to [low, high] element-wise, in place. */
  private static INDArray project(INDArray z, INDArray low, INDArray high) {
    return Transforms.min(Transforms.max(z, low, false), high, false);
  }
}
