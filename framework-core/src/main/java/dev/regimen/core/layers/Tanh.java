package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/** The hyperbolic tangent: y = (e^x - e^-x) / (e^x + e^-x), element-wise, in (-1, 1). No options. */
public final class Tanh extends Activation implements OnnxLayer {
  public static final String NAME = "tanh";

  public Tanh(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.tanh();
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Tanh", input);
  }

  /** Makes {@code tanh}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Hyperbolic tangent", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Tanh(options);
    }
  }
}
