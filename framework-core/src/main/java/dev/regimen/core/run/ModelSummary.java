package dev.regimen.core.run;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Keras-style summary of a model for the report: every layer in tree order with its type, per-sample
 * output shape and parameter count, and the totals.
 *
 * <p>Output shapes need the per-sample input shape, which a built model does not expose; without it
 * (or below a container whose data flow is not known here) they are left out. Shapes flow through
 * {@code sequential} containers child by child and through {@code residual} blocks unchanged; the
 * children of other containers (multi-head models, plugin containers) show their parameters but no shape.
 *
 * @param rows the layers, containers before their children
 * @param trainable the number of trainable parameters (weights and biases)
 * @param nonTrainable the number of values in buffers (running statistics)
 */
public record ModelSummary(List<Row> rows, long trainable, long nonTrainable) {

  /**
   * One layer.
   *
   * @param depth 0 for the root, 1 for its children...
   * @param name the layer's name ({@code dense_1})
   * @param type the layer's type ({@code dense})
   * @param outputShape the per-sample output shape, or {@code null} if not known
   * @param parameters the number of trainable values in the layer and, for a container, its children
   * @param parameterShapes its own parameters and buffers with their shapes ({@code weight [2, 16]}), or empty
   */
  public record Row(int depth, String name, String type, long[] outputShape, long parameters, String parameterShapes) {
    /** The output shape as {@code [N, 16]} (N for the batch), or an empty string if unknown. */
    public String shapeText() {
      if (outputShape == null) {
        return "";
      }
      StringBuilder out = new StringBuilder("[N");
      for (long d : outputShape) {
        out.append(", ").append(d);
      }
      return out.append(']').toString();
    }
  }

  public ModelSummary {
    rows = List.copyOf(rows);
  }

  /**
   * Summarizes a built model.
   *
   * @param inputShape the per-sample input shape ({@code Dataset.sampleShape()}), or {@code null} if not known
   */
  public static ModelSummary of(Layer model, long[] inputShape) {
    List<Row> rows = new ArrayList<>();
    long[] totals = new long[2];
    visit(model, 0, inputShape, rows, totals);
    return new ModelSummary(rows, totals[0], totals[1]);
  }

  /** Adds the layer's row and its children's; returns the layer's output shape or null. */
  private static long[] visit(Layer layer, int depth, long[] input, List<Row> rows, long[] totals) {
    long[] output = null;
    if (input != null) {
      try {
        output = layer.outputShape(input);
      } catch (RuntimeException e) {
        output = null;
      }
    }
    int index = rows.size();
    rows.add(null);
    long own = count(layer.parameters());
    totals[0] += own;
    totals[1] += count(layer.buffers());
    long subtree = own;
    long[] childInput = input;
    for (Layer child : layer.children()) {
      long before = totals[0];
      long[] childOutput = visit(child, depth + 1, childInput, rows, totals);
      subtree += totals[0] - before;
      if (layer.type().equals("sequential")) {
        childInput = childOutput;
      } else if (!layer.type().equals("residual")) {
        childInput = null;
      }
    }
    String shapes = describe(layer.parameters(), layer.buffers());
    rows.set(index, new Row(depth, layer.name() == null ? layer.type() : layer.name(), layer.type(), output, subtree,
        shapes));
    return output;
  }

  private static long count(Map<String, Tensor> tensors) {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += Arrays.stream(t.shape()).reduce(1, (a, b) -> a * b);
    }
    return n;
  }

  private static String describe(Map<String, Tensor> parameters, Map<String, Tensor> buffers) {
    List<String> parts = new ArrayList<>();
    parameters.forEach((name, t) -> parts.add(name + " " + Arrays.toString(t.shape())));
    buffers.forEach((name, t) -> parts.add(name + " " + Arrays.toString(t.shape()) + " (buffer)"));
    return parts.stream().collect(Collectors.joining(", "));
  }

  /** Trainable plus non-trainable values. */
  public long total() {
    return trainable + nonTrainable;
  }
}
