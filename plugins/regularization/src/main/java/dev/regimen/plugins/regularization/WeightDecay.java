package dev.regimen.plugins.regularization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import java.util.List;
import org.pf4j.Extension;

/**
 * Decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization"):
 * w &lt;- w - lr * lambda * w, applied to the weights directly rather than through the loss, so an
 * adaptive optimizer does not rescale it. It runs just before the optimizer step, on the weights the
 * gradient was taken at (as PyTorch's AdamW does), with the optimizer's current learning rate
 * (schedules included); with plain SGD one step then equals one step with the {@code l2} penalty of
 * the same lambda: w - lr (g + lambda w).
 */
public final class WeightDecay implements Regularizer {
  public static final String NAME = "weight_decay";

  private final double lambda;
  private final Targets targets;

  public WeightDecay(Options options) {
    this.lambda = options.getDouble("lambda");
    this.targets = Targets.of(options);
  }

  @Override
  public void beforeStep(List<Parameter> parameters, Context ctx) {
    double factor = 1 - ctx.learningRate() * lambda;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : targets.select(parameters)) {
        p.value().array().muli(factor);
      }
    }
  }

  /** {@code weight_decay}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME, "Decoupled weight decay w <- w - lr * lambda * w at each step, outside the gradient",
          List.of(OptionSpec.of("lambda", OptionType.DOUBLE, 1e-4, "the decay per unit of learning rate").atLeast(0),
              Targets.INCLUDE_BIASES));
    }

    @Override
    public Regularizer create(Options options) {
      return new WeightDecay(options);
    }
  }
}
