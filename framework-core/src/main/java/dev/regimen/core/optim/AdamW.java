package dev.regimen.core.optim;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2): Adam
 * whose weight decay shrinks the parameter directly instead of being added to the gradient, so that
 * it is not rescaled by Adam's per-coordinate step sizes. Each update first does
 *
 * <pre>
 *   p = p - lr wd p
 * </pre>
 *
 * <p>and then the {@link Adam} update. As in PyTorch's {@code torch.optim.AdamW}, the paper's schedule
 * multiplier is the learning rate itself, so a learning-rate schedule scales the decay too.
 *
 * <p>The decay applies only to parameters whose {@link Parameter#weight()} is true (the weights of
 * dense and convolution layers); biases and normalization scales and shifts are updated by Adam alone,
 * the usual practice (it is what PyTorch users get by putting those in a group with
 * {@code weight_decay=0}). Options: those of Adam plus {@code weight_decay} (0.01).
 */
public final class AdamW extends Adam {
  public static final String NAME = "adamw";

  private final double weightDecay;

  public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
    super(NAME, lr, beta1, beta2, eps);
    this.weightDecay = requireAtLeast("weight_decay", weightDecay, 0);
  }

  /** AdamW with Adam's defaults, the given learning rate and decay. */
  public AdamW(double lr, double weightDecay) {
    this(lr, 0.9, 0.999, 1e-8, weightDecay);
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  double decayFactor(Parameter parameter) {
    return 1 - learningRate(parameter) * weightDecay(parameter, weightDecay);
  }

  @Override
  protected boolean decaysItself() {
    return true;
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", beta1=" + beta1() + ", beta2=" + beta2() + ", eps=" + eps()
        + ", weight_decay=" + weightDecay + ")";
  }

  /** Makes {@code adamw} from Adam's options and {@code weight_decay}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Adam with decoupled weight decay on weights (not biases)", specs());
    }

    private static List<OptionSpec> specs() {
      List<OptionSpec> specs = new ArrayList<>(Adam.optionSpecs());
      specs.add(OptionSpec.of("weight_decay", OptionType.DOUBLE, 0.01, "decoupled decay rate, p -= lr wd p")
          .atLeast(0));
      return specs;
    }

    @Override
    public Optimizer create(Options options) {
      return new AdamW(options.getDouble("lr"), options.getDouble("beta1"), options.getDouble("beta2"),
          options.getDouble("eps"), options.getDouble("weight_decay"));
    }
  }
}
