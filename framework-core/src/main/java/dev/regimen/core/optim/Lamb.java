package dev.regimen.core.optim;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.Optimizer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LAMB, layer-wise adaptive moments for large batches (You et al. 2020, "Large Batch Optimization for
 * Deep Learning: Training BERT in 76 minutes", ICLR, Algorithm 2): Adam's bias-corrected step plus
 * decoupled weight decay, rescaled per parameter tensor by a trust ratio so that each layer moves by
 * a fixed fraction of its own norm, at the parameter's own step t:
 *
 * <pre>
 *   m = beta1 m + (1 - beta1) g                       (slot "m")
 *   v = beta2 v + (1 - beta2) g^2                     (slot "v")
 *   r = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps) + wd p
 *   p = p - lr (||p|| / ||r||) r                      (the ratio is 1 when ||p|| or ||r|| is 0)
 * </pre>
 *
 * <p>The paper's scaling function phi is the identity here (no clamping of ||p||), and every parameter
 * tensor is a "layer" of its own, as in the reference implementations. Weight decay applies to
 * parameters whose {@link Parameter#weight()} is true; the trust ratio to every parameter (a bias
 * that starts at zero takes plain Adam steps until it has a norm). Norms are taken in float64.
 * Options: {@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-6, the
 * paper's), {@code weight_decay} (0.01).
 */
public final class Lamb extends AbstractOptimizer {
  public static final String NAME = "lamb";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  public Lamb(double lr, double beta1, double beta2, double eps, double weightDecay) {
    super(NAME, lr, List.of("m", "v"), true);
    this.beta1 = requireFraction("beta1", beta1);
    this.beta2 = requireFraction("beta2", beta2);
    this.eps = requireAtLeast("eps", eps, 0);
    this.weightDecay = requireAtLeast("weight_decay", weightDecay, 0);
  }

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  protected void update(Parameter parameter, INDArray grad, Slots state) {
    INDArray p = parameter.value().array();
    INDArray m = state.get(0);
    INDArray v = state.get(1);
    long t = state.steps();
    m.muli(beta1);
    axpy(1 - beta1, grad, m);
    v.muli(beta2);
    axpy(1 - beta2, grad.mul(grad), v);
    INDArray denominator = Transforms.sqrt(v.div(1 - Math.pow(beta2, t)), false).addi(eps);
    INDArray r = m.div(1 - Math.pow(beta1, t)).divi(denominator);
    double decay = weightDecay(parameter, weightDecay);
    if (decay > 0) {
      axpy(decay, p, r);
    }
    double pNorm = p.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    double rNorm = r.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    double trust = pNorm > 0 && rNorm > 0 ? pNorm / rNorm : 1;
    axpy(-learningRate(parameter) * trust, r, p);
  }

  @Override
  protected boolean decaysItself() {
    return true;
  }

  @Override
  public String toString() {
    return NAME + "(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
        + ", weight_decay=" + weightDecay + ")";
  }

  /** Makes {@code lamb} from Adam's options and {@code weight_decay}. */
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "LAMB (You et al. 2020): Adam with decoupled decay, each tensor's step"
          + " scaled by the trust ratio ||p|| / ||step||", List.of(
              OptionSpec.of("lr", OptionType.DOUBLE, 1e-3, "learning rate").atLeast(0),
              OptionSpec.of("beta1", OptionType.DOUBLE, 0.9, "decay of the gradient's moving average")
                  .rangeExclusive(0, 1),
              OptionSpec.of("beta2", OptionType.DOUBLE, 0.999, "decay of the squared gradient's moving average")
                  .rangeExclusive(0, 1),
              OptionSpec.of("eps", OptionType.DOUBLE, 1e-6, "added to the denominator for stability").atLeast(0),
              OptionSpec.of("weight_decay", OptionType.DOUBLE, 0.01, "decoupled decay rate on weights, inside the"
                  + " trust-ratio step").atLeast(0)));
    }

    @Override
    public Optimizer create(Options options) {
      return new Lamb(options.getDouble("lr"), options.getDouble("beta1"), options.getDouble("beta2"),
          options.getDouble("eps"), options.getDouble("weight_decay"));
    }
  }
}
