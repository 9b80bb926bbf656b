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
 * The L2 penalty (Tikhonov regularization; Krogh &amp; Hertz 1992 for neural networks):
 * (lambda / 2) * sum w^2 over the weights, added to the loss. With the factor 1/2 its gradient is
 * lambda * w, so with plain SGD one step equals one step of {@code weight_decay} with the same lambda
 * (PyTorch's {@code weight_decay} argument of SGD is this penalty). With adaptive optimizers (Adam)
 * the penalty's gradient is rescaled per weight and the two differ (Loshchilov &amp; Hutter 2019).
 */
public final class L2 implements Regularizer {
  public static final String NAME = "l2";

  private final double lambda;
  private final Targets targets;

  public L2(Options options) {
    this.lambda = options.getDouble("lambda");
    this.targets = Targets.of(options);
  }

  @Override
  public Tensor penalty(List<Parameter> parameters) {
    Tensor sum = null;
    for (Parameter p : targets.select(parameters)) {
      Tensor term = p.value().mul(p.value()).sum();
      sum = sum == null ? term : sum.add(term);
    }
    return sum == null ? null : sum.mul(lambda / 2);
  }

  /** {@code l2}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME, "L2 penalty (lambda / 2) * sum w^2 on the weights: shrinks weights",
          List.of(OptionSpec.of("lambda", OptionType.DOUBLE, 1e-4, "the penalty's strength (gradient lambda * w)")
              .atLeast(0), Targets.INCLUDE_BIASES));
    }

    @Override
    public Regularizer create(Options options) {
      return new L2(options);
    }
  }
}
