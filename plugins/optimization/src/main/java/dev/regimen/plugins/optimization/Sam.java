package dev.regimen.plugins.optimization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Sharpness-aware minimization (Foret, Kleiner, Mobahi and Neyshabur 2021, "Sharpness-Aware
 * Minimization for Efficiently Improving Generalization", Algorithm 1): each update first climbs to
 * the worst point of a small neighbourhood, takes the gradient there, and lets the wrapped optimizer
 * step from the original weights with that gradient:
 *
 * <pre>
 *   e = rho g / ||g||                    g the update's gradient at w, ||.|| over all parameters together
 *   g' = grad L(w + e)                   the same batch, evaluated again (the trainer's closure)
 *   w = inner step(w, g')
 * </pre>
 *
 * <p>With {@code adaptive} it is ASAM (Kwon, Kim, Park and Choi 2021, "ASAM: Adaptive Sharpness-Aware
 * Minimization for Scale-Invariant Learning of Deep Neural Networks"), whose neighbourhood scales with
 * each weight: e = rho w^2 g / ||w g||, as in its reference implementation (rho around 10 times
 * larger, 0.5 to 2). A zero gradient gives no ascent (e = 0, with 1e-12 in the denominator as there).
 * Each update costs two forward and backward passes; the gradient hooks (gradient clipping) act on
 * both gradients, the step hooks (decoupled weight decay) once. After the second evaluation the weights
 * are put back exactly as they were (copied, not subtracted), so the inner step starts from w.
 *
 * <p>The learning rate and the step count are the inner optimizer's; SAM keeps no state of its own.
 * A trainer's closure is needed (the trainer gives one); called without one, it fails. Options: {@code
 * optimizer} (required: the inner optimizer), {@code rho} (0.05, the paper's), {@code adaptive}
 * (false).
 */
public final class Sam extends OptimizerWrapper {
  public static final String NAME = "sam";

  /** What the reference implementations add to the gradient norm before dividing by it. */
  static final double NORM_EPS = 1e-12;

  private final double rho;
  private final boolean adaptive;

  public Sam(Optimizer inner, double rho, boolean adaptive) {
    super(NAME, inner, List.of());
    this.rho = rho;
    this.adaptive = adaptive;
  }

  @Override
  public void step(List<Parameter> parameters) {
    throw new IllegalStateException(NAME + " evaluates the gradient again at the perturbed weights and needs the"
        + " trainer's closure: step(parameters, closure)");
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void step(List<Parameter> parameters, Closure closure) {
    if (closure == null) {
      step(parameters);
    }
    List<Parameter> moved = new ArrayList<>();
    List<INDArray> original = new ArrayList<>();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      List<INDArray> ascent = new ArrayList<>();
      double squares = 0;
      for (Parameter p : parameters) {
        INDArray g = p.value().grad();
        if (g == null) {
          continue;
        }
        INDArray scaled = adaptive ? Transforms.abs(p.value().array(), true).muli(g) : g;
        double n = scaled.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        squares += n * n;
        moved.add(p);
        ascent.add(adaptive ? p.value().array().mul(p.value().array()).muli(g) : g.dup());
      }
      double scale = rho / (Math.sqrt(squares) + NORM_EPS);
      for (int i = 0; i < moved.size(); i++) {
        INDArray w = moved.get(i).value().array();
        original.add(w.dup());
        w.addi(ascent.get(i).muli(scale));
      }
    }
    double loss;
    try {
      loss = closure.evaluate();
    } finally {
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        for (int i = 0; i < moved.size(); i++) {
          moved.get(i).value().array().assign(original.get(i));
        }
      }
    }
    if (Double.isFinite(loss)) {
      inner.step(parameters, closure);
    }
  }

  @Override
  String describe() {
    return "rho=" + rho + (adaptive ? ", adaptive" : "");
  }

  /** Makes {@code sam}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Sharpness-aware minimization (Foret et al. 2021): the wrapped optimizer"
          + " steps with the gradient at w + rho g / ||g||", List.of(
              OPTIMIZER,
              OptionSpec.of("rho", OptionType.DOUBLE, 0.05, "the radius of the ascent step").atLeast(0),
              OptionSpec.of("adaptive", OptionType.BOOLEAN, false, "ASAM (Kwon et al. 2021): scale the neighbourhood"
                  + " by each weight's size")));
    }

    @Override
    public Optimizer create(Options options) {
      return new Sam(innerOf(options), options.getDouble("rho"), options.getBoolean("adaptive"));
    }
  }
}
