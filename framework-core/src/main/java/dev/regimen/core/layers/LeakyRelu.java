package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The leaky rectified linear unit (Maas et al. 2013): y = x for x &gt; 0 and alpha x otherwise,
 * element-wise. Option {@code alpha} (default 0.01, finite, at least 0): the slope for negative inputs.
 */
public final class LeakyRelu extends Activation implements OnnxLayer {
  public static final String NAME = "leaky_relu";

  private final double alpha;

  public LeakyRelu(Options options) {
    super(NAME, options);
    this.alpha = options.getDouble("alpha");
    options.check(Double.isFinite(alpha) && alpha >= 0, "alpha must be finite and at least 0. Received: alpha=" + alpha);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.leakyRelu(alpha);
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("LeakyRelu", List.of(input), Map.of("alpha", alpha));
  }

  /** Makes {@code leaky_relu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Leaky ReLU: x for x > 0, alpha x otherwise", List.of(
          OptionSpec.of("alpha", OptionType.DOUBLE, 0.01, "slope for negative inputs").atLeast(0)));
    }

    @Override
    public Layer create(Options options) {
      return new LeakyRelu(options);
    }
  }
}
