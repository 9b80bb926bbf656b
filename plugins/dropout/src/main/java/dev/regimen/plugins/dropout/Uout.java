package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Uout (Li, Chen, Hu and Yang, "Understanding the Disharmony between Dropout and Batch Normalization
 * by Variance Shift", CVPR 2019): uniform multiplicative noise y = x + x * r with r ~ U(-beta, beta)
 * drawn for every element while sampling; at evaluation y = x. E[y] = x and Var[y] = x^2 beta^2 / 3,
 * much less than dropout's x^2 rate / (1 - rate) for the usual values, which is the point: the
 * variance a following batch norm sees shifts little between training and evaluation.
 *
 * <p>Option {@code beta} (default 0.1): the half-width of the noise, in [0, 1]. Any per-sample shape
 * is accepted.
 */
public final class Uout extends NoiseLayer {
  public static final String NAME = "dropout.uout";

  public Uout(Options options) {
    super(NAME, options, "beta");
  }

  /** 1 + r with r ~ U(-beta, beta), per element: x + x r = x (1 + r), one op instead of two. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    return rng.uniform(input.dataType(), 1 - strength(), 1 + strength(), input.shape());
  }

  /** Makes {@code dropout.uout}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Uout (Li et al. 2019): y = x + x * r while training, r ~ U(-beta, beta); identity at evaluation",
          List.of(OptionSpec.of("beta", OptionType.DOUBLE, 0.1,
              "half-width of the uniform noise r ~ U(-beta, beta)").range(0, 1)));
    }

    @Override
    public Layer create(Options options) {
      return new Uout(options);
    }
  }
}
