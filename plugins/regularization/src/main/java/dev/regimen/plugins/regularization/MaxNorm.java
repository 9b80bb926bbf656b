package dev.regimen.plugins.regularization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * The max-norm constraint (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks
 * from Overfitting", JMLR 15, section 5.1), dropout's partner: after every optimizer step the vector
 * of incoming weights of each hidden unit j is projected back onto the ball of radius c,
 *
 * <pre>
 *   w_j &lt;- w_j * min(1, c / ||w_j||_2)
 * </pre>
 *
 * <p>so ||w_j|| &lt;= c holds after each step, and a unit whose weights are inside the ball is left
 * exactly as it is. The paper reports that with dropout it lets training use a much larger learning
 * rate without the weights blowing up (typical c is 3 to 4); Keras' {@code constraints.MaxNorm} is
 * the same projection. The incoming weights of unit j are the slice j along the parameter's unit axis
 * ({@link Parameter#unitAxis()}): a dense weight's column [in] (stored [in, out]), a convolution
 * filter's [inC, kH, kW] (stored [outC, inC, kH, kW]); the norm runs over every other axis. It acts
 * in {@code afterStep}, on the weights the step produced, and never touches the loss or the
 * gradient.
 *
 * <p>Options: {@code max_value} (3, the paper's typical c; positive), {@code include_biases} (false:
 * weights only; a bias's unit j is its one element, so c bounds |b_j|), {@code layers} (all); see
 * {@link Targets}.
 */
public final class MaxNorm implements Regularizer {
  public static final String NAME = "max_norm";

  private final double maxValue;
  private final Targets targets;

  public MaxNorm(Options options) {
    this.maxValue = options.getDouble("max_value");
    options.check(maxValue > 0 && Double.isFinite(maxValue),
        "max_value is the largest norm a unit's incoming weights may have and must be positive and finite."
            + " Received: max_value=" + maxValue);
    this.targets = Targets.of(options);
  }

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void afterStep(List<Parameter> parameters, Context ctx) {
    List<Parameter> selected = targets.select(parameters);
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : selected) {
        project(p.value().array(), p.unitAxis(), maxValue);
      }
    }
  }

  /** w_j *= min(1, c / ||w_j||) in place for every slice j of w along {@code unitAxis}. */
  static void project(INDArray w, int unitAxis, double c) {
    if (w.rank() == 0) {
      w.assign(Math.max(-c, Math.min(c, w.getDouble(0))));
      return;
    }
    INDArray norms = w.rank() == 1 ? Transforms.abs(w, true) : w.norm2(allBut(w.rank(), unitAxis));
    // c / 0 is infinity, so an all-zero unit keeps its factor of 1.
    INDArray factor = Transforms.min(norms.rdivi(c), 1.0, false);
    if (w.rank() == 1) {
      w.muli(factor);
    } else {
      Broadcast.mul(w, factor, w, unitAxis);
    }
  }

  private static int[] allBut(int rank, int kept) {
    int[] axes = new int[rank - 1];
    for (int i = 0, k = 0; i < rank; i++) {
      if (i != kept) {
        axes[k++] = i;
      }
    }
    return axes;
  }

  @Override
  public String toString() {
    return NAME + "(max_value=" + maxValue + targets.describe() + ")";
  }

  /** Makes {@code max_norm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "Max-norm constraint (Srivastava et al. 2014): after each step every unit's incoming weights are scaled"
              + " back to norm <= max_value",
          Targets.withTargetOptions(OptionSpec.of("max_value", OptionType.DOUBLE, 3.0,
              "the largest L2 norm c of a unit's incoming weights (the paper's typical c is 3 to 4)").atLeast(0)));
    }

    @Override
    public Regularizer create(Options options) {
      return new MaxNorm(options);
    }
  }
}
