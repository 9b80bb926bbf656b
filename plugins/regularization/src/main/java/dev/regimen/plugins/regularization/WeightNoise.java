package dev.regimen.plugins.regularization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Gaussian weight noise (An 1996, "The effects of adding noise during backpropagation training on a
 * generalization performance"; Graves 2011, "Practical variational inference for neural
 * networks"): each training step sees weights perturbed by fresh noise e ~ N(0, 1), one draw per
 * weight,
 *
 * <pre>
 *   additive         w~ = w + sigma * e
 *   multiplicative   w~ = w * (1 + sigma * e)     (the noise scales with the weight; zeros stay zero)
 * </pre>
 *
 * <p>The noise is drawn in {@code beforeForward} from the step's random stream ({@code ctx.rng()},
 * one fork per parameter name, so runs repeat with the seed) and added in place; {@code afterBackward}
 * puts the clean weights back bit for bit. So the forward pass and the gradient are taken at the
 * noisy weights w~, and the optimizer applies that gradient to the clean weights w: training
 * minimizes the expected loss under the noise, which to second order adds a penalty
 * (sigma^2 / 2) * sum of the loss's curvature along each weight (for multiplicative noise weighted
 * by w^2): it prefers flat minima. The hooks run only in training, so evaluation, validation and
 * inference see the clean weights.
 *
 * <p>Cost: per step and parameter one copy of the clean weights and one array of noise, all
 * whole-array ND4J ops. Options: {@code sigma} (0.01, at least 0), {@code mode} ({@code additive} or
 * {@code multiplicative}), {@code include_biases} (false: weights only), {@code layers} (all); see
 * {@link Targets}.
 */
public final class WeightNoise implements Regularizer {
  public static final String NAME = "weight_noise";

  private final double sigma;
  private final boolean multiplicative;
  private final Targets targets;
  /** The perturbed parameters of the step in progress and their clean values, index by index. */
  private final List<Parameter> perturbed = new ArrayList<>();
  private final List<INDArray> clean = new ArrayList<>();

  public WeightNoise(Options options) {
    this.sigma = options.getDouble("sigma");
    this.multiplicative = options.getString("mode").equals("multiplicative");
    this.targets = Targets.of(options);
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void beforeForward(List<Parameter> parameters, Context ctx) {
    // A step that stopped before afterBackward (a non-finite loss) left its noise in: remove it first.
    restore();
    List<Parameter> selected = targets.select(parameters);
    if (sigma == 0) {
      return;
    }
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : selected) {
        INDArray w = p.value().array();
        INDArray noise = ctx.rng().fork(p.name()).normal(w.dataType(), 0, sigma, w.shape());
        perturbed.add(p);
        clean.add(w.dup());
        if (multiplicative) {
          w.muli(noise.addi(1.0));
        } else {
          w.addi(noise);
        }
      }
    }
  }

  @Override
  public void afterBackward(List<Parameter> parameters, Context ctx) {
    restore();
  }

  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private void restore() {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int i = 0; i < perturbed.size(); i++) {
        perturbed.get(i).value().array().assign(clean.get(i));
      }
    }
    perturbed.clear();
    clean.clear();
  }

  @Override
  public String toString() {
    return NAME + "(sigma=" + sigma + ", mode=" + (multiplicative ? "multiplicative" : "additive")
        + targets.describe() + ")";
  }

  /** Makes {@code weight_noise}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "Gaussian noise on the weights for each training forward and backward pass (An 1996); the step applies to the clean weights",
          Targets.withTargetOptions(
              OptionSpec.of("sigma", OptionType.DOUBLE, 0.01, "the noise's standard deviation").atLeast(0),
              OptionSpec.of("mode", OptionType.STRING, "additive",
                  "additive: w + sigma * e; multiplicative: w * (1 + sigma * e)").oneOf("additive", "multiplicative")));
    }

    @Override
    public Regularizer create(Options options) {
      return new WeightNoise(options);
    }
  }
}
