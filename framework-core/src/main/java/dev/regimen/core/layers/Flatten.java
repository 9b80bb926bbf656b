package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Flattens each sample into one vector: [N, d1, ..., dk] to [N, d1 d2 ... dk], in row-major (C)
 * order, as Keras and PyTorch do; the batch axis is kept. No options.
 */
public final class Flatten extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "flatten";

  public Flatten(Options options) {
    super(NAME, options);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireNonEmpty(describe(), inputShape);
    long n = 1;
    for (long d : inputShape) {
      n *= d;
    }
    return new long[] {n};
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.reshape(input.size(0), outputShape(builtShape())[0]);
  }

  /** {@code Flatten} at axis 1, C order as here. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Flatten", List.of(input), Map.of("axis", 1));
  }

  /** Makes {@code flatten}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Flattens each sample: [N, d1, ..., dk] to [N, d1 ... dk]", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Flatten(options);
    }
  }
}
