package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Inverted dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 15): while sampling, y = x * m / (1 - rate) with m ~ Bernoulli(1 - rate) drawn
 * independently for every element; at evaluation y = x. Scaling the kept units up during training
 * keeps E[y] = x, so inference needs no change; this is what Keras' {@code Dropout} and PyTorch's
 * {@code nn.Dropout} do. For a constant x, Var[y] = x^2 rate / (1 - rate).
 *
 * <p>Option {@code rate} (default 0.5): the probability of DROPPING a unit, in [0, 1); not DL4J's
 * probability of keeping it. Any per-sample shape is accepted.
 */
public final class Dropout extends NoiseLayer {
  public static final String NAME = "dropout";

  public Dropout(Options options) {
    super(NAME, options, "rate");
  }

  /** m / (1 - rate) with m ~ Bernoulli(1 - rate), per element. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    return Noise.invertedMask(rng, input.dataType(), strength(), input.shape());
  }

  /** Makes {@code dropout}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Inverted dropout: y = x * m / (1 - rate) while training, m ~ Bernoulli(1 - rate); rate is the probability"
              + " of dropping; identity at evaluation",
          List.of(Noise.rate(0.5, "unit")));
    }

    @Override
    public Layer create(Options options) {
      return new Dropout(options);
    }
  }
}
