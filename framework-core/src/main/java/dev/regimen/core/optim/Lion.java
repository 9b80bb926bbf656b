package dev.regimen.core.optim;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.Optimizer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2): every coordinate moves by the same amount lr, in the direction of the sign of an
 * interpolation between the momentum and the gradient; the momentum is updated afterwards with a
 * second, slower rate:
 *
 * <pre>
 *   c = beta1 m + (1 - beta1) g
 *   p = p - lr (sign(c) + wd p)                    (sign(0) = 0)
 *   m = beta2 m + (1 - beta2) g                    (slot "m")
 * </pre>
 *
 * <p>Because the update has unit size per coordinate, the paper's learning rates are 3 to 10 times
 * smaller than AdamW's and its weight decays as many times larger (so that lr wd stays the same). The
 * decay is decoupled, as in {@link AdamW}, and applies to parameters whose {@link Parameter#weight()}
 * is true. Only one state array per parameter (Adam keeps two). Options: {@code lr} (1e-4), {@code
 * beta1} (0.9), {@code beta2} (0.99), {@code weight_decay} (0), the paper's defaults.
 */
public final class Lion extends AbstractOptimizer {
  public static final String NAME = "lion";

  private final double beta1;
  private final double beta2;
  private final double weightDecay;

  public Lion(double lr, double beta1, double beta2, double weightDecay) {
    super(NAME, lr, List.of("m"), false);
    this.beta1 = requireFraction("beta1", beta1);
    this.beta2 = requireFraction("beta2", beta2);
    this.weightDecay = requireAtLeast("weight_decay", weightDecay, 0);
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  protected void update(Parameter parameter, INDArray grad, Slots state) {
    INDArray p = parameter.value().array();
    INDArray m = state.get(0);
    INDArray direction = Transforms.sign(m.mul(beta1).addi(grad.mul(1 - beta1)), false);
    double lr = learningRate(parameter);
    double decay = weightDecay(parameter, weightDecay);
    if (decay > 0) {
      p.muli(1 - lr * decay);
    }
    axpy(-lr, direction, p);
    m.muli(beta2);
    axpy(1 - beta2, grad, m);
  }

  @Override
  protected boolean decaysItself() {
    return true;
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", weight_decay="
        + weightDecay + ")";
  }

  /** Makes {@code lion} from options {@code lr}, {@code beta1}, {@code beta2} and {@code weight_decay}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Lion (Chen et al. 2023): the sign of interpolated momentum, one step size"
          + " for every coordinate", List.of(
              OptionSpec.of("lr", OptionType.DOUBLE, 1e-4, "learning rate (3-10x smaller than AdamW's)").atLeast(0),
              OptionSpec.of("beta1", OptionType.DOUBLE, 0.9, "interpolation between momentum and gradient for the"
                  + " update's sign").rangeExclusive(0, 1),
              OptionSpec.of("beta2", OptionType.DOUBLE, 0.99, "decay of the momentum").rangeExclusive(0, 1),
              OptionSpec.of("weight_decay", OptionType.DOUBLE, 0.0, "decoupled decay rate on weights, p -= lr wd p")
                  .atLeast(0)));
    }

    @Override
    public Optimizer create(Options options) {
      return new Lion(options.getDouble("lr"), options.getDouble("beta1"), options.getDouble("beta2"),
          options.getDouble("weight_decay"));
    }
  }
}
