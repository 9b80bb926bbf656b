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
 * Decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization"):
 * at every training step the weights shrink directly, outside the loss and its gradient,
 *
 * <pre>
 *   w &lt;- w - lr * lambda * w           then the optimizer's own step from the gradient g
 * </pre>
 *
 * <p>so an adaptive optimizer cannot rescale the decay: with Adam every weight decays at the same
 * rate, where the {@code l2} penalty's gradient lambda * w is divided by Adam's running gradient
 * scale and weights with large gradients are barely decayed (the paper's AdamW). With SGD and
 * momentum it is the paper's SGDW: the decay does not enter the velocity, where {@code l2} does.
 *
 * <p>When: in {@code beforeStep}, on the weights the gradient was taken at, as in the paper's
 * Algorithm 2 (theta_t = theta_{t-1} - eta_t (alpha * adam_step + lambda * theta_{t-1})), PyTorch's
 * {@code AdamW} and Regimen's built-in {@code adamw}. Then with plain SGD one step is exactly one
 * step with the {@code l2} penalty of the same lambda: w - lr (g + lambda w). Decaying after the
 * optimizer step instead would shrink the already-updated weights and differ by lr^2 * lambda * g.
 *
 * <p>Which learning rate: the decay is multiplied by the optimizer's current learning rate
 * ({@code ctx.learningRate()}, schedules included), as PyTorch's {@code AdamW} does
 * ({@code p *= 1 - lr * weight_decay}), so its {@code weight_decay} values (0.01) carry over and a
 * learning-rate schedule scales the decay with the step. The paper keeps the two apart: its decay per
 * step is eta_t * lambda, where eta_t is the schedule multiplier only, not the base rate alpha; its
 * lambda is this lr * lambda (divide by the learning rate to reproduce its values).
 *
 * <p>Options: {@code lambda} (1e-4, at least 0), {@code include_biases} (false: weights only),
 * {@code layers} (all); see {@link Targets}.
 */
public final class WeightDecay extends WeightPenalty {
  public static final String NAME = "weight_decay";

  public WeightDecay(Options options) {
    super(NAME, options);
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void beforeStep(List<Parameter> parameters, Context ctx) {
    List<Parameter> selected = targets.select(parameters);
    double factor = 1 - ctx.learningRate() * lambda();
    if (factor == 1) {
      return;
    }
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : selected) {
        p.value().array().muli(factor);
      }
    }
  }

  /** Makes {@code weight_decay}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "Decoupled weight decay (Loshchilov & Hutter 2019): w <- w - lr * lambda * w at each step, outside the gradient",
          WeightPenalty.options("the decay per unit of learning rate, as PyTorch AdamW's weight_decay"));
    }

    @Override
    public Regularizer create(Options options) {
      return new WeightDecay(options);
    }
  }
}
