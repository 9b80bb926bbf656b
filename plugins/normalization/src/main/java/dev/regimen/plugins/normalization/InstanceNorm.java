package dev.regimen.plugins.normalization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import org.pf4j.Extension;

/**
 * Instance normalization (Ulyanov, Vedaldi and Lempitsky 2016, "Instance Normalization: The
 * Missing Ingredient for Fast Stylization", arXiv:1607.08022): each channel of each sample is
 * standardized over its spatial positions, y[n, c] = gamma_c (x[n, c] - mean[n, c]) /
 * sqrt(var[n, c] + epsilon) + beta_c, with the mean and biased variance over H, W of that one
 * sample and channel. It is group norm with one channel per group. The same in training and
 * evaluation (no running statistics, unlike PyTorch's optional {@code track_running_stats}).
 *
 * <p>The per-sample input is [C, H, W] (or [C, L]). Options: {@code epsilon} (1e-5, positive) and
 * {@code affine} (true: {@code gamma}, ones, and {@code beta}, zeros, per channel; trainable, not
 * weights). Note that PyTorch's {@code InstanceNorm2d} defaults to {@code affine=False}; here the
 * whole family defaults to an affine, as group norm and layer norm do in PyTorch.
 */
public final class InstanceNorm extends PerSampleNorm {
  public static final String NAME = "instancenorm";


  public InstanceNorm(Options options) {
    super(NAME, options);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Checks.requireRankAtLeast(describe(), inputShape, 2, "[C, H, W] or [C, L] (a channel axis and spatial axes)");
    return inputShape.clone();
  }

  /** One block per channel of each sample. */
  @Override
  protected long groups(long[] sampleShape) {
    return sampleShape[0];
  }

  /** Makes {@code instancenorm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Instance normalization: each channel of each sample standardized over H, W, then gamma and beta per channel;"
              + " the same in training and evaluation",
          PerSampleNorm.options());
    }

    @Override
    public Layer create(Options options) {
      return new InstanceNorm(options);
    }
  }
}
