package dev.regimen.api.export;

/**
 * A layer with an ONNX form: {@code regimen export --format onnx} asks each layer of a model to add its
 * computation to the graph, in inference form, the way evaluation mode computes it ({@code
 * ForwardContext.evaluation()}): dropout and its variants as what they compute at evaluation (the
 * identity, or a scale), batch normalization with its running statistics. A layer that does not
 * implement this interface stops the export with an error that names it.
 *
 * <p>A leaf layer adds nodes and its weights as initializers; a container hands each child to {@link
 * OnnxGraph#layer}. Values are tensors of the batch, {@code [N, ...inputShape]}, in float32, with the
 * batch size left open.
 *
 * <pre>{@code
 * public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
 *   String scale = graph.scalar(name() + ".keep", (float) (1 - rate));
 *   return graph.node("Mul", input, scale);
 * }
 * }</pre>
 */
public interface OnnxLayer {

  /**
   * Adds this layer's inference computation to the graph.
   *
   * @param graph the graph being written
   * @param input the name of the value this layer reads, {@code [N, ...inputShape]}
   * @param inputShape the per-sample shape of {@code input}, as the layer was built for it
   * @return the name of the value this layer produces, {@code [N, ...outputShape(inputShape)]}
   */
  String toOnnx(OnnxGraph graph, String input, long[] inputShape);
}
