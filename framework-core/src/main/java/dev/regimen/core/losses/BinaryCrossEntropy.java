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
 * Binary cross-entropy from logits x and targets y in [0, 1], averaged over every element:
 * -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))] = max(x, 0) - x y + log(1 + e^-|x|), the stable
 * form of PyTorch's {@code BCEWithLogitsLoss} (Bishop 2006, section 4.3.2, for the loss). Each
 * element is an independent binary (or multi-label) decision. See {@link Losses#binaryCrossEntropy}.
 */
public final class BinaryCrossEntropy implements Objective {
  public static final String NAME = "binary_cross_entropy";

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    return Losses.binaryCrossEntropy(output, target);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code binary_cross_entropy}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME, "Binary cross-entropy of sigmoid(logits) with targets in [0, 1]",
          List.of());
    }

    @Override
    public Objective create(Options options) {
      return new BinaryCrossEntropy();
    }
  }
}
