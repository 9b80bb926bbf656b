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
 * The exponential linear unit (Clevert et al. 2015): y = x for x &gt; 0 and alpha (e^x - 1)
 * otherwise, element-wise. Option {@code alpha} (default 1, positive and finite): the value that
 * negative inputs saturate to is -alpha.
 */
public final class Elu extends Activation implements OnnxLayer {
  public static final String NAME = "elu";

  private final double alpha;

  public Elu(Options options) {
    super(NAME, options);
    this.alpha = options.getDouble("alpha");
    options.check(Double.isFinite(alpha) && alpha > 0, "alpha must be positive and finite. Received: alpha=" + alpha);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.elu(alpha);
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Elu", List.of(input), Map.of("alpha", alpha));
  }

  /** Makes {@code elu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "ELU: x for x > 0, alpha (e^x - 1) otherwise", List.of(
          OptionSpec.of("alpha", OptionType.DOUBLE, 1.0, "negative inputs saturate to -alpha").atLeast(0)));
    }

    @Override
    public Layer create(Options options) {
      return new Elu(options);
    }
  }
}
