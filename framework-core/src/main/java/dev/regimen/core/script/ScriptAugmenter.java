package dev.regimen.core.script;

import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * An augmenter written as a script function {@code (batch) -> batch}. The function gets
 * {@code {inputs, targets, epoch, epochs, classes}} with inputs and targets as nested lists (epoch
 * counted from 1, epochs the number the training is set to run), and returns an
 * object with new {@code inputs} and/or {@code targets} (one left out stays as it was), or nothing to
 * keep the batch. Returned inputs keep the batch's shape when the number of values agrees (rows may
 * come back flattened); targets may change shape (soft labels [N, K] for hard labels [N]).
 */
final class ScriptAugmenter implements Augmenter {
  private final String name;
  private final Value function;
  private final ScriptRuntime runtime;

  ScriptAugmenter(String name, Value function, ScriptRuntime runtime) {
    this.name = name;
    this.function = function;
    this.runtime = runtime;
  }

  @Override
  public Batch apply(Batch batch, Context ctx) {
    if (runtime.interrupted()) {
      return batch;
    }
    Map<String, Object> argument = new LinkedHashMap<>();
    argument.put("inputs", Values.nested(batch.inputs().array()));
    argument.put("targets", Values.nested(batch.targets().array()));
    argument.put("epoch", ctx.epoch() + 1);
    argument.put("epochs", ctx.epochs());
    argument.put("classes", ctx.numClasses());
    Value result = function.execute(new Values.ScriptObject(argument));
    if (result == null || result.isNull()) {
      return batch;
    }
    Value inputs = field(result, "inputs");
    Value targets = field(result, "targets");
    if (inputs == null && targets == null) {
      throw new ScriptApiException("The augmenter function '" + name + "' must return an object with inputs and/or "
          + "targets (or nothing, to keep the batch). Received: " + Values.describe(result));
    }
    Batch out = batch;
    if (inputs != null) {
      var type = batch.inputs().dataType();
      out = out.withInputs(Tensor.of(Values.array("The inputs returned by augmenter '" + name + "'", inputs,
          batch.inputs().shape(), type)));
    }
    if (targets != null) {
      var type = batch.targets().dataType();
      out = out.withTargets(Tensor.of(Values.array("The targets returned by augmenter '" + name + "'", targets,
          batch.targets().shape(), type)));
    }
    if (out.inputs().size(0) != batch.size() || out.targets().size(0) != batch.size()) {
      throw new ScriptApiException("The augmenter function '" + name + "' must keep the batch's " + batch.size()
          + " samples. Received: " + out.inputs().size(0) + " inputs and " + out.targets().size(0) + " targets");
    }
    return out;
  }

  /** A member of a returned object: a JavaScript property or a Python dict entry; null if absent. */
  static Value field(Value object, String key) {
    if (object.hasHashEntries()) {
      Value v = object.getHashValue(key);
      return v == null || v.isNull() ? null : v;
    }
    if (object.hasMember(key)) {
      Value v = object.getMember(key);
      return v == null || v.isNull() ? null : v;
    }
    return null;
  }

  @Override
  public String toString() {
    return "augmenter '" + name + "' (script function)";
  }
}
