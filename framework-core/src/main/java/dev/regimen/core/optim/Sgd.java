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
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with optional momentum (Polyak 1964) and Nesterov momentum (Sutskever,
 * Martens, Dahl and Hinton 2013, "On the importance of initialization and momentum in deep
 * learning"), in PyTorch's formulation ({@code torch.optim.SGD} without dampening):
 *
 * <pre>
 *   v = mu v + g                        (slot "velocity", zero at first; only when mu &gt; 0)
 *   p = p - lr (g + mu v)               with Nesterov
 *   p = p - lr v                        otherwise (p - lr g when mu = 0)
 * </pre>
 *
 * <p>With momentum, float32 on the CPU updates each parameter in one pass ({@code UpdateKernels}).
 * Options: {@code lr} (0.01), {@code momentum} (0, in [0, 1)), {@code nesterov} (false; needs a
 * positive momentum). Weight decay belongs to the regularizers.
 */
public final class Sgd extends AbstractOptimizer {
  public static final String NAME = "sgd";

  private final double momentum;
  private final boolean nesterov;

  public Sgd(double lr, double momentum, boolean nesterov) {
    super(NAME, lr, momentum > 0 ? List.of("velocity") : List.of(), false);
    this.momentum = requireFraction("momentum", momentum);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException(NAME + ": nesterov needs a positive momentum. Received: momentum=0.0");
    }
    this.nesterov = nesterov;
  }

  /** Plain gradient descent. */
  public Sgd(double lr) {
    this(lr, 0, false);
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  protected void update(Parameter parameter, INDArray grad, Slots state) {
    INDArray p = parameter.value().array();
    double lr = learningRate(parameter);
    if (momentum == 0) {
      axpy(-lr, grad, p);
      return;
    }
    INDArray velocity = state.get(0);
    if (UpdateKernels.serves(p, grad, velocity)) {
      UpdateKernels.sgdMomentum(p, grad, velocity, (float) lr, (float) momentum, nesterov);
      return;
    }
    Nd4j.exec(new Axpy(velocity, grad, velocity, momentum)); // v = mu v + g in one op
    if (nesterov) {
      axpy(-lr, grad, p);
      axpy(-lr * momentum, velocity, p);
    } else {
      axpy(-lr, velocity, p);
    }
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", momentum=" + momentum + ", nesterov=" + nesterov + ")";
  }

  /** Makes {@code sgd} from options {@code lr}, {@code momentum} and {@code nesterov}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Stochastic gradient descent with optional (Nesterov) momentum", List.of(
          OptionSpec.of("lr", OptionType.DOUBLE, 0.01, "learning rate").atLeast(0),
          OptionSpec.of("momentum", OptionType.DOUBLE, 0.0, "momentum factor mu").rangeExclusive(0, 1),
          OptionSpec.of("nesterov", OptionType.BOOLEAN, false, "use Nesterov momentum (needs momentum > 0)")));
    }

    @Override
    public Optimizer create(Options options) {
      double momentum = options.getDouble("momentum");
      options.check(!options.getBoolean("nesterov") || momentum > 0,
          "nesterov needs a positive momentum. Received: momentum=" + momentum);
      return new Sgd(options.getDouble("lr"), momentum, options.getBoolean("nesterov"));
    }
  }
}
