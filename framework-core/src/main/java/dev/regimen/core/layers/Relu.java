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

/** The rectified linear unit (Nair and Hinton 2010): y = max(0, x), element-wise. No options. */
public final class Relu extends Activation implements OnnxLayer {
  public static final String NAME = "relu";

  public Relu(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.relu();
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Relu", input);
  }

  /** Makes {@code relu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Rectified linear unit: max(0, x)", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Relu(options);
    }
  }
}
