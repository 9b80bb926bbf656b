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
 * The L2 penalty (ridge regression, Hoerl &amp; Kennard 1970; for neural networks Krogh &amp; Hertz
 * 1992, "A simple weight decay can improve generalization"), added to the loss:
 *
 * <pre>
 *   penalty = (lambda / 2) * sum w^2    gradient lambda * w
 * </pre>
 *
 * <p>The convention: with the factor 1/2 the gradient is lambda * w, which is what PyTorch's
 * {@code weight_decay} argument of {@code torch.optim.SGD} and {@code Adam} adds to the gradient, so
 * a lambda carries over from PyTorch unchanged, and with plain SGD one step equals one step of
 * {@code weight_decay} with the same lambda. Keras' {@code regularizers.L2(l2)} has no 1/2 (its
 * penalty is l2 * sum w^2, gradient 2 * l2 * w): Keras' l2 = lambda / 2. With an adaptive optimizer
 * (Adam) the penalty's gradient is rescaled per weight like the loss's, so weights with large
 * gradients are decayed less; decoupled {@code weight_decay} is not (Loshchilov &amp; Hutter 2019).
 *
 * <p>Options: {@code lambda} (1e-4, at least 0), {@code include_biases} (false: weights only),
 * {@code layers} (all); see {@link Targets}.
 */
public final class L2 extends WeightPenalty {
  public static final String NAME = "l2";

  public L2(Options options) {
    super(NAME, options);
  }

  @Override
  public Tensor penalty(List<Parameter> parameters) {
    Tensor sum = sumOverTargets(parameters, w -> w.mul(w).sum());
    return sum == null ? null : sum.mul(lambda() / 2);
  }

  /** Makes {@code l2}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "L2 penalty (lambda / 2) * sum w^2 on the weights, gradient lambda * w (PyTorch's weight_decay): shrinks weights",
          WeightPenalty.options("the penalty's strength (gradient lambda * w; Keras' l2 is lambda / 2)"));
    }

    @Override
    public Regularizer create(Options options) {
      return new L2(options);
    }
  }
}
