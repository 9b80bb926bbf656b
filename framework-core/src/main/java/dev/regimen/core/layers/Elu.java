package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/**
 * The exponential linear unit (Clevert et al. 2015): y = x for x &gt; 0 and alpha (e^x - 1)
 * otherwise, element-wise. Option {@code alpha} (default 1, positive and finite): the value that
 * negative inputs saturate to is -alpha. Exported as ONNX's {@code Elu}.
 */
public final class Elu extends AlphaActivation {
  public static final String NAME = "elu";

  public Elu(Options options) {
    super(NAME, options, "Elu", /* zeroAllowed= */ false);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.elu(alpha);
  }

  /** Makes {@code elu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "ELU: x for x > 0, alpha (e^x - 1) otherwise",
          List.of(alphaOption(1.0, "negative inputs saturate to -alpha")));
    }

    @Override
    public Layer create(Options options) {
      return new Elu(options);
    }
  }
}
