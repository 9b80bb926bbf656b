package dev.regimen.plugins.diagnostics;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.regimen.api.train.TrainingControl;
import org.slf4j.Logger;

/**
 * The fixed batch a diagnostic feeds through the model: the same inputs at every measurement, so
 * that a change between epochs is the model's, not the data's.
 *
 * <p>Where it comes from, first match wins:
 * <ol>
 *   <li>{@link #set(Tensor)}, from Java;
 *   <li>option {@code probe}: a {@code Tensor}, an ND4J {@code INDArray}, or an object with a public
 *       {@code features()} method returning one (a core {@code Dataset}, e.g. the training set);
 *   <li>option {@code input_shape}: standard-normal inputs of that per-sample shape, drawn once from
 *       option {@code seed} (right for inputs that were z-scored, rough otherwise);
 *   <li>otherwise, in training, the first {@code samples} rows of the training set
 *       ({@link TrainingControl#trainingSample(int)});
 *   <li>none of these (a direct call to {@code measure} without a probe): the diagnostic measures
 *       nothing and says so once, in a warning.
 * </ol>
 * Only the first {@code samples} rows are used.
 *
 * <p>The batch is cast to the floating-point type of the model's parameters.
 */
final class Probe {
  private final String owner;
  private final int samples;
  private final long[] inputShape;
  private final long seed;
  private Tensor inputs;
  private boolean warned;

  Probe(Options options) {
    this.owner = options.owner();
    this.samples = options.getInt("samples");
    this.inputShape = options.has("input_shape")
        ? options.getIntList("input_shape").stream().mapToLong(Integer::longValue).toArray() : null;
    this.seed = options.getInt("seed");
    Object given = options.get("probe");
    if (given != null) {
      set(toTensor(owner, given));
    }
  }

  /** The options of a diagnostic that measures on inputs. */
  static List<OptionSpec> options() {
    return List.of(
        OptionSpec.of("probe", OptionType.ANY, null,
            "the inputs to measure on: a Tensor or INDArray [N, ...], or a dataset (its features); the first"
                + " 'samples' rows are used"),
        OptionSpec.of("samples", OptionType.INT, 256, "how many rows of the probe to use").atLeast(2),
        OptionSpec.of("input_shape", OptionType.INT_LIST, null,
            "without a probe: the per-sample shape of standard-normal inputs to draw instead, e.g. [64] or"
                + " [1, 28, 28]").atLeast(1),
        OptionSpec.of("seed", OptionType.INT, 0,
            "seed of the drawn inputs and of the noise of training-mode passes"));
  }

  /** The probe options followed by a diagnostic's own. */
  static List<OptionSpec> withOptions(List<OptionSpec> own) {
    List<OptionSpec> all = new ArrayList<>(options());
    all.addAll(own);
    return all;
  }

  long seed() {
    return seed;
  }

  /** Sets the inputs to measure on (the first {@code samples} rows are used). */
  void set(Tensor probe) {
    if (probe == null || probe.rank() < 1 || probe.size(0) < 2) {
      throw new IllegalArgumentException(owner + ": the probe needs at least 2 rows. Received: "
          + (probe == null ? "null" : Arrays.toString(probe.shape())));
    }
    this.inputs = probe;
    this.warned = false;
  }

  /** Takes the first rows of the training set unless a probe or an input shape was given. */
  void defaultTo(TrainingControl control) {
    if (inputs == null && inputShape == null) {
      set(control.trainingSample(samples).inputs());
    }
  }

  /** The probe batch for this model, or {@code null} (after one warning) if there is none. */
  Tensor batch(Layer model, Logger log) {
    DataType type = parameterType(model);
    if (inputs != null) {
      long rows = Math.min(samples, inputs.size(0));
      Tensor rowsTaken = rows == inputs.size(0) ? inputs : inputs.slice(0, 0, rows);
      return (rowsTaken.dataType() == type ? rowsTaken : rowsTaken.cast(type)).detach();
    }
    if (inputShape != null) {
      long[] shape = new long[inputShape.length + 1];
      shape[0] = samples;
      System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
      inputs = Tensor.of(new Rng(seed).fork("probe").normal(type, 0, 1, shape));
      return inputs;
    }
    if (!warned) {
      warned = true;
      log.warn("{} has no probe batch and measures nothing. Give option 'probe' (the training features, e.g."
          + " probe: data.train) or 'input_shape' (standard-normal inputs of that shape); from Java, call probe(tensor).",
          owner);
    }
    return null;
  }

  private static DataType parameterType(Layer model) {
    List<Parameter> parameters = Layers.parameters(model);
    return parameters.isEmpty() ? Tensor.defaultType() : parameters.get(0).value().dataType();
  }

  private static Tensor toTensor(String owner, Object value) {
    if (value instanceof Tensor t) {
      return t;
    }
    if (value instanceof INDArray a) {
      return Tensor.of(a);
    }
    try {
      Method features = value.getClass().getMethod("features");
      Object result = features.invoke(value);
      if (result instanceof Tensor || result instanceof INDArray) {
        return toTensor(owner, result);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not a dataset: fall through to the error below.
    }
    throw new ComponentException("Option 'probe' of " + owner
        + " must be a Tensor, an INDArray or a dataset. Received: probe=" + value);
  }
}
