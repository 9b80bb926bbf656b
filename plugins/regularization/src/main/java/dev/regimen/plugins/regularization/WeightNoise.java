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
 * generalization performance"; Graves 2011): before each training forward pass the weights are
 * perturbed, additively w + sigma * e or multiplicatively w * (1 + sigma * e) with e ~ N(0, 1), and
 * after {@code backward} the clean weights are put back, so the gradient is taken at the noisy
 * weights and the step is applied to the clean ones. To first order the noise adds a penalty
 * proportional to sigma^2 times the curvature of the loss along the weights: a regularizer that
 * prefers flat minima. Evaluation never sees noise (the hooks run only in training).
 */
public final class WeightNoise implements Regularizer {
  public static final String NAME = "weight_noise";

  private final double sigma;
  private final boolean multiplicative;
  private final Targets targets;
  private final List<INDArray> clean = new ArrayList<>();
  private List<Parameter> perturbed = List.of();

  public WeightNoise(Options options) {
    this.sigma = options.getDouble("sigma");
    this.multiplicative = options.getString("mode").equals("multiplicative");
    this.targets = Targets.of(options);
  }

  @Override
  public void beforeForward(List<Parameter> parameters, Context ctx) {
    perturbed = targets.select(parameters);
    clean.clear();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : perturbed) {
        INDArray w = p.value().array();
        clean.add(w.dup());
        INDArray noise = ctx.rng().fork(p.name()).normal(w.dataType(), 0, sigma, w.shape());
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
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int i = 0; i < perturbed.size(); i++) {
        perturbed.get(i).value().array().assign(clean.get(i));
      }
    }
    clean.clear();
    perturbed = List.of();
  }

  /** {@code weight_noise}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "Gaussian noise on the weights during each training forward pass; the step applies to the clean weights",
          List.of(OptionSpec.of("sigma", OptionType.DOUBLE, 0.01, "the noise's standard deviation").atLeast(0),
              OptionSpec.of("mode", OptionType.STRING, "additive",
                  "additive: w + sigma * e; multiplicative: w * (1 + sigma * e)").oneOf("additive", "multiplicative"),
              Targets.INCLUDE_BIASES));
    }

    @Override
    public Regularizer create(Options options) {
      return new WeightNoise(options);
    }
  }
}
