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

/** The logistic sigmoid: y = 1 / (1 + e^-x), element-wise, in (0, 1). No options. */
public final class Sigmoid extends Activation implements OnnxLayer {
  public static final String NAME = "sigmoid";

  public Sigmoid(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.sigmoid();
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Sigmoid", input);
  }

  /** Makes {@code sigmoid}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Logistic sigmoid: 1 / (1 + e^-x)", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Sigmoid(options);
    }
  }
}
