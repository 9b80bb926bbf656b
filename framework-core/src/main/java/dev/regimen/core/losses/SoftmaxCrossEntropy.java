package dev.regimen.core.losses;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.loss.Losses;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import java.util.List;

/**
 * Softmax cross-entropy from logits [N, K]: -(1/N) sum_i sum_k q_ik log softmax(z_i)_k, with target
 * rows q either one-hot rows of integer class labels [N] or distributions [N, K] (smoothed labels, a
 * teacher's probabilities). Computed through log-softmax, so it is stable for any logits (Goodfellow,
 * Bengio and Courville 2016, "Deep Learning", section 6.2.2.3); PyTorch's {@code CrossEntropyLoss}
 * with class indices or probabilities. See {@link Losses#softmaxCrossEntropy}.
 */
public final class SoftmaxCrossEntropy implements Objective {
  public static final String NAME = "softmax_cross_entropy";

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    return Losses.softmaxCrossEntropy(output, target);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code softmax_cross_entropy}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME,
          "Cross-entropy of softmax(logits) with class labels [N] or target distributions [N, K]", List.of());
    }

    @Override
    public Objective create(Options options) {
      return new SoftmaxCrossEntropy();
    }
  }
}
