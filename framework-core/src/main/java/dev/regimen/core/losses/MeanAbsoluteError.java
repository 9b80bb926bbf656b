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
 * Mean absolute error, mean(|p - t|) over every element: the maximum-likelihood loss under Laplace
 * noise, less sensitive to outliers than squared error (Hastie, Tibshirani and Friedman 2009, section
 * 10.6); PyTorch's {@code L1Loss}. See {@link Losses#mae}.
 */
public final class MeanAbsoluteError implements Objective {
  public static final String NAME = "mae";

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    return Losses.mae(output, target);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code mae}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME, "Mean absolute error, mean(|p - t|)", List.of());
    }

    @Override
    public Objective create(Options options) {
      return new MeanAbsoluteError();
    }
  }
}
