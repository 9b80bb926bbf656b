package dev.regimen.plugins.regularization;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.AdjustableOptions;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the weight penalties share ({@code l1}, {@code l2}, {@code weight_decay}): a strength
 * {@code lambda}, the parameters it acts on ({@link Targets}: weights only unless {@code
 * include_biases}, optionally only some layers), and a {@code toString} that shows the options set.
 * Each penalty says what it does with them: a term added to the loss, or a step on the weights.
 */
abstract class WeightPenalty implements Regularizer, Adjustable.WithOptions {
  private final String name;
  /** The strength {@code lambda}, at least 0, which may change while training runs (a schedule of it). */
  private final AdjustableOptions adjustable;
  /** The parameters the penalty acts on. */
  protected final Targets targets;

  WeightPenalty(String name, Options options) {
    this.name = name;
    this.adjustable = new AdjustableOptions(options, "lambda");
    this.targets = Targets.of(options);
  }

  /** The strength now. */
  protected final double lambda() {
    return adjustable.get("lambda");
  }

  @Override
  public AdjustableOptions adjustable() {
    return adjustable;
  }

  /** The options of a weight penalty: {@code lambda} (default 1e-4, at least 0, {@code meaning} says what it is), then the targets'. */
  static List<OptionSpec> options(String meaning) {
    return Targets.withTargetOptions(OptionSpec.of("lambda", OptionType.DOUBLE, 1e-4, meaning).atLeast(0));
  }

  /** The sum over the targeted parameters of {@code term(w)}, in their order; null when none is targeted. */
  protected final Tensor sumOverTargets(List<Parameter> parameters, UnaryOperator<Tensor> term) {
    Tensor sum = null;
    for (Parameter p : targets.select(parameters)) {
      Tensor t = term.apply(p.value());
      sum = sum == null ? t : sum.add(t);
    }
    return sum;
  }

  @Override
  public String toString() {
    return name + "(lambda=" + lambda() + targets.describe() + ")";
  }
}
