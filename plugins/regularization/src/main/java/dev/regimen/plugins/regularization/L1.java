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
 * The L1 penalty (the lasso of Tibshirani 1996): lambda * sum |w| over the weights, added to the
 * loss. Its gradient lambda * sign(w) pulls every weight towards zero by the same amount, so weights
 * the data does not support reach (near) zero: L1 makes weights sparse, where L2 only shrinks them.
 */
public final class L1 implements Regularizer {
  public static final String NAME = "l1";

  private final double lambda;
  private final Targets targets;

  public L1(Options options) {
    this.lambda = options.getDouble("lambda");
    this.targets = Targets.of(options);
  }

  @Override
  public Tensor penalty(List<Parameter> parameters) {
    Tensor sum = null;
    for (Parameter p : targets.select(parameters)) {
      Tensor term = p.value().abs().sum();
      sum = sum == null ? term : sum.add(term);
    }
    return sum == null ? null : sum.mul(lambda);
  }

  /** {@code l1}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME, "L1 penalty lambda * sum |w| on the weights: drives unneeded weights to zero",
          List.of(OptionSpec.of("lambda", OptionType.DOUBLE, 1e-4, "the penalty's strength").atLeast(0),
              Targets.INCLUDE_BIASES));
    }

    @Override
    public Regularizer create(Options options) {
      return new L1(options);
    }
  }
}
