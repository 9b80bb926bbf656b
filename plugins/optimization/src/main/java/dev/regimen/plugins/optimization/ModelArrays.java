package dev.regimen.plugins.optimization;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters and buffers by model-wide name, as the weight averages ({@code ema}, {@code
 * swa}) read and write them: the live arrays, copies that outlive a training step, and copies put
 * back in place.
 */
final class ModelArrays {
  private ModelArrays() {}

  /** The model's floating-point parameters and buffers (not copies), by model-wide name, in a stable order. */
  static Map<String, INDArray> live(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      out.put(p.name(), p.value().array());
    }
    Layers.buffers(model).forEach((name, t) -> {
      if (t.array().dataType().isFPType()) {
        out.put(name, t.array());
      }
    });
    return out;
  }

  /** Copies of {@link #live} made outside every step scope. */
  static Map<String, INDArray> copy(Layer model) {
    return copy(live(model));
  }

  /** Copies of {@code arrays}, in their order, made outside every step scope so that they outlive it. */
  static Map<String, INDArray> copy(Map<String, INDArray> arrays) {
    return StepMemory.outside(() -> {
      Map<String, INDArray> out = new LinkedHashMap<>();
      arrays.forEach((name, a) -> out.put(name, a.dup()));
      return out;
    });
  }

  /** Writes {@code values} into the model's arrays of the same names, in place. */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  static void assign(Layer model, Map<String, INDArray> values, String owner) {
    Map<String, INDArray> target = live(model);
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Map.Entry<String, INDArray> e : values.entrySet()) {
        INDArray into = target.get(e.getKey());
        if (into == null || !into.equalShapes(e.getValue())) {
          throw new IllegalStateException(owner + " holds '" + e.getKey() + "' "
              + java.util.Arrays.toString(e.getValue().shape()) + ", which the model "
              + (into == null ? "does not have" : "has with shape " + java.util.Arrays.toString(into.shape()))
              + "; was it restored from another model's checkpoint?");
        }
        into.assign(e.getValue());
      }
    }
  }
}
