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
 * Mean squared error, mean((p - t)^2) over every element: the maximum-likelihood loss for regression
 * under Gaussian noise (Bishop 2006, section 3.1.1); PyTorch's {@code MSELoss}. See {@link Losses#mse}.
 */
public final class MeanSquaredError implements Objective {
  public static final String NAME = "mse";

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    return Losses.mse(output, target);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code mse}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME, "Mean squared error, mean((p - t)^2)", List.of());
    }

    @Override
    public Objective create(Options options) {
      return new MeanSquaredError();
    }
  }
}
