package dev.regimen.core.script;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.metrics.AveragedMetric;
import org.graalvm.polyglot.Value;

/**
 * A metric written as a script function {@code (outputs, targets) -> number}: called once per batch
 * with the model's outputs (rows of numbers) and the targets (class labels, or rows for regression);
 * the epoch's value is the mean over batches weighted by batch size, as the built-in metrics average
 * over samples.
 */
final class ScriptMetric extends AveragedMetric {
  private final String name;
  private final boolean higherIsBetter;
  private final Value function;
  private final ScriptRuntime runtime;

  ScriptMetric(String name, boolean higherIsBetter, Value function, ScriptRuntime runtime) {
    this.name = name;
    this.higherIsBetter = higherIsBetter;
    this.function = function;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  @Override
  public void update(Tensor output, Tensor target) {
    if (runtime.interrupted()) {
      return;
    }
    Value result = function.execute(Values.nested(output.array()), Values.nested(target.array()));
    if (result == null || !result.isNumber()) {
      throw new ScriptApiException("The metric function '" + name + "' must return a number. Received: "
          + Values.describe(result));
    }
    long n = output.size(0);
    add(result.asDouble() * n, n);
  }

  @Override
  public String toString() {
    return "metric '" + name + "' (script function)";
  }
}
