package dev.regimen.plugins.diagnostics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Weight statistics: the size and sparsity of every trainable parameter w (n entries), named {@code
 * <layer>.<local>} as in checkpoints:
 * <pre>
 *   weight_l2/&lt;param&gt;        = ||w||_2 = sqrt(sum w_i^2)
 *   weight_l1/&lt;param&gt;        = ||w||_1 = sum |w_i|
 *   weight_near_zero/&lt;param&gt; = (1/n) #{|w_i| &lt; threshold}
 * </pre>
 * and the same over all of them together under {@code weight_l2/all}, {@code weight_l1/all} and
 * {@code weight_near_zero/all}. An L1 penalty drives weights to exactly zero (Tibshirani 1996,
 * "Regression Shrinkage and Selection via the Lasso"), an L2 penalty or weight decay only shrinks
 * them: the near-zero fraction tells the two apart over epochs, and the norms show the decay.
 *
 * <p>Options: {@code every}, {@code epochs} (see {@link Diagnostic}); {@code threshold} (1e-3, at
 * least 0); {@code weights_only} (false: every parameter; true: only weights, the parameters that
 * penalties apply to by default, not biases or normalization scales). Needs no data.
 */
public final class WeightStats extends Diagnostic {
  public static final String NAME = "weight_stats";
  static final String ALL = "all";

  private final double threshold;
  private final boolean weightsOnly;

  public WeightStats(Options options) {
    super(options);
    this.threshold = options.getDouble("threshold");
    this.weightsOnly = options.getBoolean("weights_only");
  }

  @Override
  public Map<String, Double> measure(Layer model, int epoch) {
    ensureNamed(model);
    Map<String, Double> out = new LinkedHashMap<>();
    double squares = 0;
    double absolutes = 0;
    double small = 0;
    long count = 0;
    for (Parameter p : Layers.parameters(model)) {
      if (weightsOnly && !p.weight()) {
        continue;
      }
      INDArray w = p.value().array().castTo(DataType.DOUBLE);
      double l2 = w.norm2Number().doubleValue();
      double l1 = w.norm1Number().doubleValue();
      double nearZero = Moments.fractionBelow(w, threshold);
      out.put("weight_l2/" + p.name(), l2);
      out.put("weight_l1/" + p.name(), l1);
      out.put("weight_near_zero/" + p.name(), nearZero);
      squares += l2 * l2;
      absolutes += l1;
      small += nearZero * w.length();
      count += w.length();
    }
    if (count > 0) {
      out.put("weight_l2/" + ALL, Math.sqrt(squares));
      out.put("weight_l1/" + ALL, absolutes);
      out.put("weight_near_zero/" + ALL, small / count);
    }
    return out;
  }

  /** Makes {@code weight_stats}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME,
          "L2 and L1 norms and the fraction of near-zero entries of every parameter (sparsity)",
          withScheduleOptions(List.of(
              OptionSpec.of("threshold", OptionType.DOUBLE, 1e-3, "|w| below this counts as near zero").atLeast(0),
              OptionSpec.of("weights_only", OptionType.BOOLEAN, false,
                  "only weights (as penalties see them), not biases or normalization scales and shifts"))));
    }

    @Override
    public Scheduler create(Options options) {
      return new WeightStats(options);
    }
  }
}
