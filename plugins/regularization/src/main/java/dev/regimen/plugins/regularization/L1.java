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
 * The L1 penalty (the lasso of Tibshirani 1996, "Regression shrinkage and selection via the
 * lasso"), added to the loss:
 *
 * <pre>
 *   penalty = lambda * sum |w|          gradient lambda * sign(w)
 * </pre>
 *
 * <p>The gradient pulls every weight towards zero by the same amount whatever its size, so a weight
 * the data does not support ends at (near) zero: L1 makes weights sparse, where L2 only shrinks them.
 * With (stochastic) gradient descent such a weight hovers within about lr * lambda of zero rather
 * than landing on it exactly (that needs a proximal step, soft thresholding). Keras'
 * {@code regularizers.L1(l1)} is the same penalty.
 *
 * <p>Options: {@code lambda} (1e-4, at least 0), {@code include_biases} (false: weights only),
 * {@code layers} (all); see {@link Targets}.
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

  @Override
  public String toString() {
    return NAME + "(lambda=" + lambda + targets.describe() + ")";
  }

  /** Makes {@code l1}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "L1 penalty lambda * sum |w| on the weights (Tibshirani 1996): drives unneeded weights to zero",
          Targets.withTargetOptions(OptionSpec.of("lambda", OptionType.DOUBLE, 1e-4,
              "the penalty's strength (gradient lambda * sign(w))").atLeast(0)));
    }

    @Override
    public Regularizer create(Options options) {
      return new L1(options);
    }
  }
}
