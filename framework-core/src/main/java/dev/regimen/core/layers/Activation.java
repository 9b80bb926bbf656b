package dev.regimen.core.layers;

import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;

/**
 * The base of the activation layers: no parameters, and the output has the shape of the input. A
 * subclass applies its function in {@link #call}.
 */
public abstract class Activation extends AbstractLayer {

  protected Activation(String type, Options options) {
    super(type, options);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireNonEmpty(describe(), inputShape);
    return inputShape.clone();
  }
}
