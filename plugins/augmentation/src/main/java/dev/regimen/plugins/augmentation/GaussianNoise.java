package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Gaussian input noise: x' = x + sigma e with e ~ N(0, 1) drawn for every element of every training
 * batch. Bishop 1995 ("Training with Noise is Equivalent to Tikhonov Regularization", Neural
 * Computation 7(1)) showed that for small sigma, training on noisy inputs is equivalent to adding a
 * penalty of order sigma^2 on the squared derivatives of the outputs with respect to the inputs:
 * a smoothness regularizer, obtained for free. Unlike the other augmenters here it accepts inputs
 * of any shape, not only images; sigma is in the inputs' units, so standardize them first.
 *
 * <p>Option {@code sigma} (default 0.1): the standard deviation of the noise, &gt;= 0. Nothing is
 * clipped: the noise is symmetric, as Bishop's analysis assumes.
 */
public final class GaussianNoise extends AbstractAugmenter {
  public static final String NAME = "gaussian_noise";

  private final double sigma;

  public GaussianNoise(Options options) {
    super(options);
    this.sigma = options.getDouble("sigma");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    if (sigma == 0) {
      return batch;
    }
    INDArray x = batch.inputs().array();
    INDArray noise = Images.stream(ctx, NAME).normal(Images.floatType(x), 0, sigma, x.shape());
    return batch.withInputs(Tensor.of(noise.addi(x.castTo(noise.dataType()))));
  }

  @Override
  public String toString() {
    return NAME + "(sigma=" + sigma + describeEpochs() + ")";
  }

  /** Makes {@code gaussian_noise}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Gaussian input noise x + sigma * e, e ~ N(0, 1) per element (Bishop 1995: like Tikhonov regularization)",
          AbstractAugmenter.options(OptionSpec.of("sigma", OptionType.DOUBLE, 0.1,
              "standard deviation of the noise, in the inputs'"
              + " units").atLeast(0)));
    }

    @Override
    public Augmenter create(Options options) {
      return new GaussianNoise(options);
    }
  }
}
