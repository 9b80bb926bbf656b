package dev.regimen.plugins.regularization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
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
public final class L1 extends WeightPenalty {
  public static final String NAME = "l1";

  public L1(Options options) {
    super(NAME, options);
  }

  @Override
  public Tensor penalty(List<Parameter> parameters) {
    Tensor sum = sumOverTargets(parameters, w -> w.abs().sum());
    return sum == null ? null : sum.mul(lambda());
  }

  /** Makes {@code l1}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "L1 penalty lambda * sum |w| on the weights (Tibshirani 1996): drives unneeded weights to zero",
          WeightPenalty.options("the penalty's strength (gradient lambda * sign(w))"));
    }

    @Override
    public Regularizer create(Options options) {
      return new L1(options);
    }
  }
}
