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

/** The Gaussian error linear unit (Hendrycks and Gimpel 2016), exact form: y = x Phi(x), with Phi the standard normal CDF, element-wise. No options. */
public final class Gelu extends Activation implements OnnxLayer {
  public static final String NAME = "gelu";

  public Gelu(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.gelu();
  }

  /** The exact (erf) form, 0.5 x (1 + erf(x / sqrt 2)), from opset 13 operators (ONNX's Gelu is opset 20). */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    String erf = graph.node("Erf", graph.node("Div", input, graph.scalar(name() + ".sqrt2", (float) Math.sqrt(2))));
    String onePlus = graph.node("Add", erf, graph.scalar(name() + ".one", 1f));
    return graph.node("Mul", graph.node("Mul", input, onePlus), graph.scalar(name() + ".half", 0.5f));
  }

  /** Makes {@code gelu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Gaussian error linear unit: x Phi(x)", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Gelu(options);
    }
  }
}
