package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Gives each sample a new shape with the same elements in row-major (C) order: [N, ...] to
 * [N, target_shape...]. Option {@code target_shape} (required) is the per-sample shape, without the
 * batch axis, as in Keras' {@code Reshape}; one entry may be -1, meaning whatever the element count
 * leaves.
 */
public final class Reshape extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "reshape";

  private final long[] target;

  public Reshape(Options options) {
    super(NAME, options);
    List<Integer> shape = options.getIntList("target_shape");
    long unknowns = shape.stream().filter(d -> d == -1).count();
    options.check(!shape.isEmpty() && unknowns <= 1 && shape.stream().allMatch(d -> d == -1 || d >= 1),
        "target_shape must be positive sizes with at most one -1. Received: target_shape=" + shape);
    this.target = shape.stream().mapToLong(Integer::longValue).toArray();
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireNonEmpty(describe(), inputShape);
    long elements = 1;
    for (long d : inputShape) {
      elements *= d;
    }
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        unknown = i;
      } else {
        known *= target[i];
      }
    }
    long[] out = target.clone();
    if (unknown >= 0 && elements % known == 0) {
      out[unknown] = elements / known;
    }
    if ((unknown >= 0 && elements % known != 0) || (unknown < 0 && known != elements)) {
      throw new ShapeException(describe() + " cannot reshape per-sample input " + Arrays.toString(inputShape)
          + " (" + elements + " elements) to " + Arrays.toString(target));
    }
    return out;
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    long[] sample = outputShape(builtShape());
    long[] shape = new long[sample.length + 1];
    shape[0] = input.size(0);
    System.arraycopy(sample, 0, shape, 1, sample.length);
    return input.reshape(shape);
  }

  /** {@code Reshape} to [0, ...target] with -1 resolved: 0 keeps the batch size. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    long[] sample = outputShape(inputShape);
    long[] shape = new long[sample.length + 1];
    System.arraycopy(sample, 0, shape, 1, sample.length);
    return graph.node("Reshape", input, graph.int64s(name() + ".shape", shape));
  }

  /** Makes {@code reshape}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Gives each sample a new shape with the same elements", List.of(
          OptionSpec.required("target_shape", OptionType.INT_LIST,
              "per-sample shape without the batch axis; one entry may be -1").atLeast(-1)));
    }

    @Override
    public Layer create(Options options) {
      return new Reshape(options);
    }
  }
}
