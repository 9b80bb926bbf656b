package dev.regimen.core.losses;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.loss.Losses;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import java.util.List;

/**
 * The Huber loss (Huber 1964, "Robust Estimation of a Location Parameter"): for r = p - t,
 * 0.5 r^2 where |r| &lt;= delta and delta (|r| - 0.5 delta) elsewhere, averaged over every element.
 * Squared error for small residuals, absolute error for large ones; PyTorch's {@code HuberLoss}. See
 * {@link Losses#huber}.
 *
 * <p>Option {@code delta} (default 1.0, positive): where the loss turns from quadratic to linear.
 */
public final class Huber implements Objective {
  public static final String NAME = "huber";

  private final double delta;

  public Huber(double delta) {
    this.delta = Losses.requireHuberDelta(delta);
  }

  public Huber() {
    this(1.0);
  }

  public double delta() {
    return delta;
  }

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    return Losses.huber(output, target, delta);
  }

  @Override
  public String toString() {
    return NAME + "(delta=" + delta + ")";
  }

  /** Makes {@code huber} from option {@code delta}. */
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME, "Huber loss: quadratic within delta of the target, linear beyond",
          List.of(OptionSpec.of("delta", OptionType.DOUBLE, 1.0, "residual size where the loss turns linear")
              .atLeast(0)));
    }

    @Override
    public Objective create(Options options) {
      return new Huber(options.getDouble("delta"));
    }
  }
}
