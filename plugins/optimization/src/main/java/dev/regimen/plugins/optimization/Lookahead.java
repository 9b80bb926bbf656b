package dev.regimen.plugins.optimization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Lookahead (Zhang, Lucas, Hinton and Ba 2019, "Lookahead Optimizer: k steps forward, 1 step back",
 * Algorithm 1): the inner optimizer updates the fast weights theta as usual; every k of its steps the
 * slow weights phi move part of the way towards them, and the fast weights start again from there:
 *
 * <pre>
 *   phi = theta                                   when a parameter is first updated   (slot "slow")
 *   theta = inner step(theta)                     every step
 *   phi = phi + alpha (theta - phi); theta = phi  after every k-th step
 * </pre>
 *
 * <p>The inner optimizer's own state (momentum, moments) is left as it is at a synchronization, as in
 * the paper's experiments. The learning rate and the step count are the inner optimizer's; the slow
 * weights are saved in checkpoints beside its state. Options: {@code optimizer} (required: the inner
 * optimizer), {@code k} (5), {@code alpha} (0.5), the paper's defaults.
 */
public final class Lookahead extends OptimizerWrapper {
  public static final String NAME = "lookahead";
  private static final String SLOW = "slow";

  private final int k;
  private final double alpha;

  public Lookahead(Optimizer inner, int k, double alpha) {
    super(NAME, inner, List.of(SLOW));
    this.k = k;
    this.alpha = alpha;
  }

  @Override
  public void step(List<Parameter> parameters) {
    step(parameters, null);
  }

  /** The inner optimizer's step, given the closure (a {@code sam} inside needs it), then a synchronization every k steps. */
  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public void step(List<Parameter> parameters, Closure closure) {
    for (Parameter p : parameters) {
      if (p.value().grad() != null) {
        slot(p, SLOW, () -> p.value().array().dup());
      }
    }
    long before = inner.steps();
    if (closure == null) {
      inner.step(parameters);
    } else {
      inner.step(parameters, closure);
    }
    if (inner.steps() == before) {
      return; // the inner optimizer made no update (a sam whose re-evaluation failed)
    }
    if (inner.steps() % k != 0) {
      return;
    }
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : parameters) {
        INDArray slow = slot(p, SLOW);
        if (slow != null) {
          INDArray fast = p.value().array();
          slow.addi(fast.sub(slow).muli(alpha));
          fast.assign(slow);
        }
      }
    }
  }

  @Override
  String describe() {
    return "k=" + k + ", alpha=" + alpha;
  }

  /** Makes {@code lookahead}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Optimizer> {
    public Factory() {
      super(ComponentKind.OPTIMIZER, NAME, "Lookahead (Zhang et al. 2019): slow weights move towards the wrapped"
          + " optimizer's fast weights every k steps", List.of(
              OPTIMIZER,
              OptionSpec.of("k", OptionType.INT, 5, "inner steps between synchronizations").atLeast(1),
              OptionSpec.of("alpha", OptionType.DOUBLE, 0.5, "how far the slow weights move towards the fast ones")
                  .range(0, 1)));
    }

    @Override
    public Optimizer create(Options options) {
      return new Lookahead(innerOf(options), options.getInt("k"), options.getDouble("alpha"));
    }
  }
}
