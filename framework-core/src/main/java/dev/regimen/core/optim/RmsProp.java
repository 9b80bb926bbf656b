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
import org.nd4j.linalg.api.ops.impl.updaters.RmsPropUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RMSProp (Tieleman and Hinton 2012, Coursera "Neural Networks for Machine Learning", lecture 6.5):
 * divides the gradient by a moving root mean square of recent gradients. In PyTorch's formulation
 * ({@code torch.optim.RMSprop}, not centred):
 *
 * <pre>
 *   v = rho v + (1 - rho) g^2                           (slot "square_avg")
 *   b = mu b + g / (sqrt(v) + eps); p = p - lr b        (slot "momentum", only when mu &gt; 0)
 *   p = p - lr g / (sqrt(v) + eps)                      when mu = 0
 * </pre>
 *
 * <p>For float32 on the CPU the update is one pass over each parameter ({@code UpdateKernels});
 * otherwise libnd4j's {@code rms_prop_updater} and a subtraction. Options: {@code lr} (0.01),
 * {@code rho} (0.99; PyTorch calls it alpha, Keras rho), {@code eps} (1e-8), {@code momentum} (0).
 */
public final class RmsProp extends AbstractOptimizer {
  public static final String NAME = "rmsprop";

  private final double rho;
  private final double eps;
  private final double momentum;

  public RmsProp(double lr, double rho, double eps, double momentum) {
    super(NAME, lr, momentum > 0 ? List.of("square_avg", "momentum") : List.of("square_avg"), false);
    this.rho = requireFraction("rho", rho);
    this.eps = requireAtLeast("eps", eps, 0);
    this.momentum = requireFraction("momentum", momentum);
  }

  /** RMSProp with PyTorch's defaults and the given learning rate. */
  public RmsProp(double lr) {
    this(lr, 0.99, 1e-8, 0);
  }

  public double rho() {
    return rho;
  }

  public double eps() {
    return eps;
  }

  public double momentum() {
    return momentum;
  }

  @Override
  protected void update(Parameter parameter, INDArray grad, Slots state) {
    INDArray p = parameter.value().array();
    INDArray squareAvg = state.get(0);
    INDArray buffer = momentum > 0 ? state.get(1) : null;
    if (UpdateKernels.serves(p, grad, squareAvg, buffer)) {
      UpdateKernels.rmsProp(p, grad, squareAvg, buffer, (float) learningRate(parameter), (float) rho, (float) eps,
          (float) momentum);
      return;
    }
    // Other types and backends: libnd4j's rms_prop_updater: v = rho v + (1 - rho) g^2 in place, out = lr g / (sqrt(v) + eps).
    INDArray scratch = Nd4j.createUninitialized(grad.dataType(), grad.shape());
    if (momentum > 0) {
      Nd4j.exec(new RmsPropUpdater(grad, squareAvg, scratch, squareAvg, 1.0, rho, eps));
      Nd4j.exec(new Axpy(buffer, scratch, buffer, momentum));
      axpy(-learningRate(parameter), buffer, p);
    } else {
      Nd4j.exec(new RmsPropUpdater(grad, squareAvg, scratch, squareAvg, learningRate(parameter), rho, eps));
      p.subi(scratch);
    }
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", rho=" + rho + ", eps=" + eps + ", momentum=" + momentum + ")";
  }

  /** Makes {@code rmsprop} from options {@code lr}, {@code rho}, {@code eps} and {@code momentum}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "RMSProp: the gradient divided by a moving RMS of recent gradients",
          List.of(
              OptionSpec.of("lr", OptionType.DOUBLE, 0.01, "learning rate").atLeast(0),
              OptionSpec.of("rho", OptionType.DOUBLE, 0.99, "decay of the squared gradient's moving average "
                  + "(PyTorch's alpha)").rangeExclusive(0, 1),
              OptionSpec.of("eps", OptionType.DOUBLE, 1e-8, "added to the denominator for stability").atLeast(0),
              OptionSpec.of("momentum", OptionType.DOUBLE, 0.0, "momentum factor mu").rangeExclusive(0, 1)));
    }

    @Override
    public Optimizer create(Options options) {
      return new RmsProp(options.getDouble("lr"), options.getDouble("rho"), options.getDouble("eps"),
          options.getDouble("momentum"));
    }
  }
}
