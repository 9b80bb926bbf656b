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
import java.util.Map;

/**
 * The scaled exponential linear unit of self-normalizing networks (Klambauer, Unterthiner, Mayr and
 * Hochreiter 2017, "Self-Normalizing Neural Networks", NIPS): element-wise
 *
 * <pre>  y = lambda x for x &gt; 0,   y = lambda alpha (e^x - 1) otherwise</pre>
 *
 * with the paper's constants lambda = 1.0507009873554805 and alpha = 1.6732632423543772, chosen so
 * that mean 0 and variance 1 are a stable fixed point: a standard normal input gives an output of
 * mean 0 and variance 1, and dense layers with weights of variance 1 / fan_in (LeCun normal) keep
 * the activations normalized through depth without batch norm. Its dropout is {@code dropout.alpha},
 * which keeps that mean and variance; plain dropout does not. No options (the constants are the
 * paper's; {@code elu} takes an alpha). PyTorch's {@code nn.SELU}, Keras' {@code selu}.
 */
public final class Selu extends Activation implements OnnxLayer {
  public static final String NAME = "selu";

  /** lambda of the paper, eq. 14. */
  public static final double LAMBDA = 1.0507009873554804934193349852946;

  /** alpha of the paper, eq. 14. */
  public static final double ALPHA = 1.6732632423543772848170429916717;

  public Selu(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.elu(ALPHA).mul(LAMBDA);
  }

  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Selu", List.of(input), Map.of("alpha", ALPHA, "gamma", LAMBDA));
  }

  /** Makes {@code selu}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "SELU (Klambauer et al. 2017): lambda x for x > 0, lambda alpha (e^x - 1) otherwise; self-normalizing,"
              + " pair it with dropout.alpha", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new Selu(options);
    }
  }
}
