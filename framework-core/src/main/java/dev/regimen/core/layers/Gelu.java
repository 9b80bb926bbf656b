package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/** The Gaussian error linear unit (Hendrycks and Gimpel 2016), exact form: y = x Phi(x), with Phi the standard normal CDF, element-wise. No options. */
public final class Gelu extends Activation {
  public static final String NAME = "gelu";

  public Gelu(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.gelu();
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
