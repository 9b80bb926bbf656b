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
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1): moving
 * averages of the gradient and its square, corrected for their zero start, at the parameter's own
 * step t:
 *
 * <pre>
 *   m = beta1 m + (1 - beta1) g                         (slot "m")
 *   v = beta2 v + (1 - beta2) g^2                       (slot "v")
 *   p = p - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * <p>As in PyTorch's {@code torch.optim.Adam}, eps is added after the square root, and t counts the
 * updates of each parameter (saved as {@code <parameter>.step}). The update is
 * one pass over each parameter for float32 on the CPU ({@code UpdateKernels}), otherwise libnd4j's
 * fused {@code adam_updater} (m, v and the step, then one subtraction), with epsilon rescaled so that
 * the result is PyTorch's formula above. Options: {@code lr} (1e-3),
 * {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-8).
 */
public class Adam extends AbstractOptimizer {
  public static final String NAME = "adam";

  private final double beta1;
  private final double beta2;
  private final double eps;

  public Adam(double lr, double beta1, double beta2, double eps) {
    this(NAME, lr, beta1, beta2, eps);
  }

  /** Adam with the paper's defaults and the given learning rate. */
  public Adam(double lr) {
    this(lr, 0.9, 0.999, 1e-8);
  }

  Adam(String name, double lr, double beta1, double beta2, double eps) {
    super(name, lr, List.of("m", "v"), true);
    this.beta1 = requireFraction("beta1", beta1);
    this.beta2 = requireFraction("beta2", beta2);
    this.eps = requireAtLeast("eps", eps, 0);
  }

  public final double beta1() {
    return beta1;
  }

  public final double beta2() {
    return beta2;
  }

  public final double eps() {
    return eps;
  }

  /** The factor the parameter is multiplied by before the moment update: 1 here, AdamW's decay 1 - lr wd. */
  double decayFactor(Parameter parameter) {
    return 1;
  }

  @Override
  protected final void update(Parameter parameter, INDArray grad, Slots state) {
    INDArray p = parameter.value().array();
    double decay = decayFactor(parameter);
    long t = state.steps();
    // The paper's efficient form, lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps'), which
    // with eps' = eps sqrt(1 - beta2^t) is exactly PyTorch's lr m_hat / (sqrt(v_hat) + eps).
    double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
    double epsHat = eps * sqrtCorrection2;
    if (UpdateKernels.serves(p, grad, state.get(0), state.get(1))) {
      double alpha = learningRate(parameter) * sqrtCorrection2 / (1 - Math.pow(beta1, t));
      UpdateKernels.adam(p, grad, state.get(0), state.get(1), (float) decay, (float) beta1, (float) beta2,
          (float) alpha, (float) epsHat);
      return;
    }
    // Other types and backends: libnd4j's adam_updater updates m and v in place and writes the step.
    if (decay != 1) {
      p.muli(decay);
    }
    INDArray step = Nd4j.createUninitialized(grad.dataType(), grad.shape());
    Nd4j.exec(new AdamUpdater(grad, state.get(1), state.get(0), step, state.get(1), state.get(0),
        learningRate(parameter), beta1, beta2, epsHat, Math.toIntExact(t - 1)));
    p.subi(step);
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
  }

  static List<OptionSpec> optionSpecs() {
    return List.of(
        OptionSpec.of("lr", OptionType.DOUBLE, 1e-3, "learning rate").atLeast(0),
        OptionSpec.of("beta1", OptionType.DOUBLE, 0.9, "decay of the gradient's moving average").rangeExclusive(0, 1),
        OptionSpec.of("beta2", OptionType.DOUBLE, 0.999, "decay of the squared gradient's moving average")
            .rangeExclusive(0, 1),
        OptionSpec.of("eps", OptionType.DOUBLE, 1e-8, "added to the denominator for stability").atLeast(0));
  }

  /** Makes {@code adam} from options {@code lr}, {@code beta1}, {@code beta2} and {@code eps}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Adam: bias-corrected moving averages of the gradient and its square",
          optionSpecs());
    }

    @Override
    public Optimizer create(Options options) {
      return new Adam(options.getDouble("lr"), options.getDouble("beta1"), options.getDouble("beta2"),
          options.getDouble("eps"));
    }
  }
}
