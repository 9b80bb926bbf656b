package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * RandAugment (Cubuk, Zoph, Shlens and Le 2020, "RandAugment: Practical automated data augmentation
 * with a reduced search space", CVPR Workshops): each image goes through N operations, each chosen
 * uniformly at random from a fixed list, all at one global magnitude M,
 *
 * <pre>  x' = op_N( ... op_1(x; M) ... ; M),   op_k ~ U(list), independently per sample and step</pre>
 *
 * <p>so AutoAugment's learned policy is replaced by two integers that a grid search can tune (the
 * paper's ResNet-50 on ImageNet: N = 2, M = 9). The list is {@link ImageOps#RANDAUGMENT} (identity,
 * auto contrast, rotate, solarize, color, posterize, contrast, brightness, sharpness, shear and
 * translate along x and y; the paper's equalize is left out, see there); M is on torchvision's scale
 * of 0 to 30 (level l = M / 30 of each operation's largest magnitude), and an operation that goes
 * both ways takes a random sign. Images are NCHW in [0, 1] (the operations clip to it); color needs
 * RGB and is the identity on one channel.
 *
 * <p>Options: {@code num_ops} (N, 2, at least 1), {@code magnitude} (M, 9, in [0, 30]). Operations are
 * drawn in a short loop over the samples; each operation runs once per step on the samples that drew
 * it ({@link ImageOps#applyPerSample}).
 */
public final class RandAugment extends AbstractAugmenter {
  public static final String NAME = "randaugment";
  /** The top of the magnitude scale (torchvision's 31 bins, 0 to 30). */
  static final int MAX_MAGNITUDE = 30;

  private final int numOps;
  private final int magnitude;

  public RandAugment(Options options) {
    super(options);
    this.numOps = options.getInt("num_ops");
    this.magnitude = options.getInt("magnitude");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    int n = (int) x.size(0);
    Rng rng = Images.stream(ctx, NAME);
    double[] levels = new double[n];
    Arrays.fill(levels, (double) magnitude / MAX_MAGNITUDE);
    INDArray out = x.castTo(Images.floatType(x));
    for (int step = 0; step < numOps; step++) {
      List<ImageOps> ops = new ArrayList<>(n);
      double[] signs = new double[n];
      for (int i = 0; i < n; i++) {
        ops.add(ImageOps.RANDAUGMENT.get(rng.nextInt(ImageOps.RANDAUGMENT.size())));
        signs[i] = rng.nextDouble() < 0.5 ? -1 : 1;
      }
      out = ImageOps.applyPerSample(out, ops, levels, signs);
    }
    return batch.withInputs(Tensor.of(out));
  }

  @Override
  public String toString() {
    return NAME + "(num_ops=" + numOps + ", magnitude=" + magnitude + describeEpochs() + ")";
  }

  /** Makes {@code randaugment}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "RandAugment (Cubuk et al. 2020): num_ops random operations per NCHW image in [0, 1], all at one magnitude"
              + " (0 to 30)",
          AbstractAugmenter.options(
              OptionSpec.of("num_ops", OptionType.INT, 2, "operations applied to each image, N").atLeast(1),
              OptionSpec.of("magnitude", OptionType.INT, 9, "the magnitude M of every operation, on a scale of 0 to 30")
                  .range(0, MAX_MAGNITUDE)));
    }

    @Override
    public Augmenter create(Options options) {
      return new RandAugment(options);
    }
  }
}
