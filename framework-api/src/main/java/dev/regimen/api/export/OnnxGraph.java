package dev.regimen.api.export;

import dev.regimen.api.nn.Layer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX graph an export is writing, as an {@link OnnxLayer} sees it: nodes of the default ONNX
 * domain at opset {@link #opset()}, float32 and int64 initializers, and the export of child layers.
 * The host implements it; names given here are hints that it makes unique.
 */
public interface OnnxGraph {

  /** The opset of the default domain the graph is written for: the operators and attributes a node may use. */
  int opset();

  /**
   * Adds a node with one output.
   *
   * @param opType the operator ({@code Gemm}, {@code Relu}, {@code Conv}, ...)
   * @param inputs the names of its inputs, in the operator's order ({@code ""} for an optional input left out)
   * @param attributes its attributes: an {@code Integer} or {@code Long} is an INT, a {@code Float} or {@code
   *     Double} a FLOAT, a {@code String} a STRING, an {@code int[]} or {@code long[]} INTS, a {@code float[]}
   *     or {@code double[]} FLOATS
   * @return the name of its output
   * @throws IllegalArgumentException for an attribute of another type, naming it
   */
  String node(String opType, List<String> inputs, Map<String, ?> attributes);

  /** A node without attributes. */
  default String node(String opType, String... inputs) {
    return node(opType, List.of(inputs), Map.of());
  }

  /**
   * Adds a float32 initializer with the values and shape of {@code value} (converted to float32, read in
   * C order), such as a layer's weight.
   *
   * @param name a name for it, usually the model-wide parameter name ({@code dense_1.weight})
   * @return its name in the graph
   */
  String constant(String name, INDArray value);

  /**
   * {@code x W + b} for a weight stored {@code [in, out]}: a {@code Gemm} node with the weight (and the
   * bias, unless null) as initializers named {@code <layer>.weight} and {@code <layer>.bias}.
   */
  default String linear(String input, String layer, INDArray weight, INDArray bias) {
    String w = constant(layer + ".weight", weight);
    return bias == null ? node("Gemm", input, w) : node("Gemm", input, w, constant(layer + ".bias", bias));
  }

  /** Adds a float32 scalar initializer (shape {@code []}), for an epsilon or a scale. */
  String scalar(String name, float value);

  /** Adds an int64 vector initializer, for the shape input of {@code Reshape} and the like. */
  String int64s(String name, long... values);

  /**
   * Exports a child layer: its {@link OnnxLayer#toOnnx} if it has one, else an error that names it. A
   * container calls this for each child.
   *
   * @return the name of the child's output value
   */
  String layer(Layer layer, String input, long[] inputShape);
}
