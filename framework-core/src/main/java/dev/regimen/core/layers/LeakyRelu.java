package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/**
 * The leaky rectified linear unit (Maas et al. 2013): y = x for x &gt; 0 and alpha x otherwise,
 * element-wise. Option {@code alpha} (default 0.01, finite, at least 0): the slope for negative
 * inputs. Exported as ONNX's {@code LeakyRelu}.
 */
public final class LeakyRelu extends AlphaActivation {
  public static final String NAME = "leaky_relu";

  public LeakyRelu(Options options) {
    super(NAME, options, "LeakyRelu", /* zeroAllowed= */ true);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.leakyRelu(alpha);
  }

  /** Makes {@code leaky_relu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Leaky ReLU: x for x > 0, alpha x otherwise",
          List.of(alphaOption(0.01, "slope for negative inputs")));
    }

    @Override
    public Layer create(Options options) {
      return new LeakyRelu(options);
    }
  }
}
