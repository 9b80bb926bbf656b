package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Pool2dSpec;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/**
 * Max pooling over NCHW input: y[n, c, i, j] = max over the window (i, j) of x[n, c]; padded positions
 * never win. The gradient goes to each window's maximum. Options as in {@link Pool2d}: {@code pool_size}
 * (2), {@code stride} (the pool size), {@code padding} (0).
 */
public final class MaxPool2d extends Pool2d implements OnnxLayer {
  public static final String NAME = "maxpool2d";

  private final Pool2dSpec spec;

  public MaxPool2d(Options options) {
    super(NAME, options);
    this.spec = spec(false);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.maxPool2d(spec);
  }

  /** {@code MaxPool}: padded positions never win, as here. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("MaxPool", List.of(input), onnxAttributes());
  }

  /** Makes {@code maxpool2d}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "2-D max pooling over NCHW input", commonOptions());
    }

    @Override
    public Layer create(Options options) {
      return new MaxPool2d(options);
    }
  }
}
