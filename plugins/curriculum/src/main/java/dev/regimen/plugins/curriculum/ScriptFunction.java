package dev.regimen.plugins.curriculum;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The forms a difficulty {@code scorer} may take, and how each is called for training row i:
 * <ul>
 *   <li>{@link IntToDoubleFunction} (Java): {@code i -> score};
 *   <li>{@link ToDoubleFunction}{@code <Batch>} (Java): the row as a one-row batch (inputs [1, ...],
 *       targets, indices {i}), unaugmented;
 *   <li>a script function, as the script host hands it over (a GraalVM polyglot {@code Value} that can
 *       execute): called with (i, label), two numbers, where label is the row's class label, or its
 *       first target value for regression; it must return a number. A sandboxed script cannot read
 *       Java arrays, so it gets numbers only: a scorer that needs the features indexes the script's
 *       own copy of the data with i. The call goes through reflection, so that this plugin needs no
 *       GraalVM on its class path.
 * </ul>
 */
final class ScriptFunction {
  private static final String POLYGLOT_VALUE = "org.graalvm.polyglot.Value";

  private ScriptFunction() {}

  /** Whether {@code function} is a scorer of one of the forms above. */
  static boolean accepts(Object function) {
    return function instanceof IntToDoubleFunction || function instanceof ToDoubleFunction<?>
        || isScriptFunction(function);
  }

  /** The score of row i of {@code all} (the whole training set, unaugmented). */
  @SuppressWarnings({"unchecked", "try"})
  static double score(Object function, int i, Batch all) {
    double score;
    if (function instanceof IntToDoubleFunction f) {
      score = f.applyAsDouble(i);
    } else if (function instanceof ToDoubleFunction<?> f) {
      Batch row;
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        row = new Batch(all.inputs().slice(0, i, i + 1), all.targets().slice(0, i, i + 1), new int[] {i});
      }
      score = ((ToDoubleFunction<Batch>) f).applyAsDouble(row);
    } else {
      var targets = all.targets().array();
      double label = targets.rank() == 1 ? targets.getDouble(i) : targets.getDouble(i, 0);
      score = call(function, i, label);
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("The curriculum's scorer gave " + score + " for training row " + i
          + "; difficulty scores must be finite numbers");
    }
    return score;
  }

  private static boolean isScriptFunction(Object function) {
    if (function == null || !function.getClass().getName().equals(POLYGLOT_VALUE)) {
      return false;
    }
    return Boolean.TRUE.equals(invoke(function, "canExecute"));
  }

  private static double call(Object function, Object... arguments) {
    Object result = invoke(function, "execute", (Object) arguments);
    if (!Boolean.TRUE.equals(invoke(result, "isNumber"))) {
      throw new IllegalArgumentException("The curriculum's scorer must return a number. Received: " + result);
    }
    return (Double) invoke(result, "asDouble");
  }

  /** Calls a public method of a polyglot value; a script's own error passes through unchanged. */
  private static Object invoke(Object target, String name, Object... arguments) {
    try {
      Method method = arguments.length == 0 ? target.getClass().getMethod(name)
          : target.getClass().getMethod(name, Object[].class);
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("The curriculum's scorer failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot call " + name + " on the script function " + target, e);
    }
  }
}
