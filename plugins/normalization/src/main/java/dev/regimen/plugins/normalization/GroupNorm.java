package dev.regimen.plugins.normalization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import java.util.Arrays;
import org.pf4j.Extension;

/**
 * Group normalization (Wu and He 2018, "Group Normalization", ECCV): the C channels are split into
 * {@code groups} groups of C / groups consecutive channels, and each group of each sample is
 * standardized over its channels and spatial positions, then scaled and shifted per channel:
 * y[n, c] = gamma_c (x[n, c] - mean[n, g(c)]) / sqrt(var[n, g(c)] + epsilon) + beta_c, with the
 * mean and biased variance of group g(c) of sample n. One group is layer norm over (C, H, W) with
 * a per-channel affine; C groups are instance norm. No batch statistics: the same in training and
 * evaluation, and independent of the batch size, which is why it suits small batches.
 *
 * <p>The per-sample input is [C, H, W] (or [C], [C, L]). Options: {@code groups} (required; must
 * divide C, checked when the layer is built), {@code epsilon} (1e-5, positive) and {@code affine}
 * (true: {@code gamma}, ones, and {@code beta}, zeros, per channel; trainable, not weights). This is
 * PyTorch's {@code GroupNorm}.
 */
public final class GroupNorm extends PerSampleNorm {
  public static final String NAME = "groupnorm";

  private final int groups;

  public GroupNorm(Options options) {
    super(NAME, options);
    this.groups = options.getInt("groups");
    options.check(groups >= 1, "groups must be at least 1. Received: groups=" + groups);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Checks.requireRankAtLeast(describe(), inputShape, 1, "[C, H, W], [C, L] or [C]");
    long channels = inputShape[0];
    if (channels % groups != 0) {
      throw new ShapeException(describe() + ": groups must divide the number of channels. Received: groups=" + groups
          + " for " + channels + " channels (per-sample input " + Arrays.toString(inputShape) + ")");
    }
    return inputShape.clone();
  }

  /** {@code groups} blocks per sample. */
  @Override
  protected long groups(long[] sampleShape) {
    return groups;
  }

  /** Makes {@code groupnorm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Group normalization: channels split into groups, each group of each sample standardized, then gamma and beta"
              + " per channel; the same in training and evaluation",
          PerSampleNorm.options(
              OptionSpec.required("groups", OptionType.INT, "number of channel groups; must divide the channels")
                  .atLeast(1)));
    }

    @Override
    public Layer create(Options options) {
      return new GroupNorm(options);
    }
  }
}
