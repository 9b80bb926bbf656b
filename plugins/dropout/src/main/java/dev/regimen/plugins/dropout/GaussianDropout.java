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
 * Gaussian dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 15, section 10): multiplicative noise y = x * e with e ~ N(1, rate / (1 - rate))
 * drawn for every element while sampling; at evaluation y = x. The noise has the mean and the
 * variance of inverted dropout's m / (1 - rate), so E[y] = x and Var[y] = x^2 rate / (1 - rate) as
 * for {@code dropout} with the same rate (Keras' {@code GaussianDropout}).
 *
 * <p>Option {@code rate} (default 0.5): the probability of DROPPING a unit that the noise imitates,
 * in [0, 1); not DL4J's probability of keeping it. Any per-sample shape is accepted.
 */
public final class GaussianDropout extends NoiseLayer {
  public static final String NAME = "dropout.gaussian";

  public GaussianDropout(Options options) {
    super(NAME, options, "rate");
  }

  /** e ~ N(1, rate / (1 - rate)), per element. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    double std = Math.sqrt(strength() / (1 - strength()));
    return rng.normal(input.dataType(), 1, std, input.shape());
  }

  /** Makes {@code dropout.gaussian}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Gaussian dropout: y = x * e while training, e ~ N(1, rate / (1 - rate)); rate is the probability of"
              + " dropping it imitates; identity at evaluation",
          List.of(Noise.rate(0.5, "unit")));
    }

    @Override
    public Layer create(Options options) {
      return new GaussianDropout(options);
    }
  }
}
