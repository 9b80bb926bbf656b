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
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Random horizontal flip: each image of an NCHW batch is mirrored left to right, x'[c, i, j] =
 * x[c, i, W-1-j], with probability p, independently per sample; torchvision's
 * {@code RandomHorizontalFlip}. Flipping doubles the data for classes that are mirror-symmetric in
 * meaning (a cat facing left is still a cat), the oldest image augmentation (Krizhevsky et al. 2012,
 * "ImageNet Classification with Deep Convolutional Neural Networks", NIPS).
 *
 * <p>As the lecture warns, a flip must not change the class: mirrored handwriting is not
 * handwriting, and some digits and letters become other ones or none (b and d, p and q; a mirrored
 * 2, 3, 4, 7 or 9 is no digit at all, and 6 and 9 trade places under rotation). Do not flip digits,
 * text or anything with a handedness; use it for natural images.
 *
 * <p>Option {@code p} (default 0.5): the probability of flipping a sample, in [0, 1]. The batch is
 * flipped as a whole with libnd4j's {@code reverse} on the width axis and each sample picks the
 * flipped or the original image through a 0/1 mask [N, 1, 1, 1] (exact for finite inputs).
 */
public final class Flip extends AbstractAugmenter {
  public static final String NAME = "flip";

  private final double p;

  public Flip(Options options) {
    super(options);
    this.p = options.getDouble("p");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    if (p == 0) {
      return batch;
    }
    INDArray flip = Images.stream(ctx, NAME).bernoulli(x.dataType(), p, x.size(0), 1, 1, 1);
    return batch.withInputs(Tensor.of(flip(x, flip)));
  }

  /** Each sample of {@code x} mirrored where {@code flip} [N, 1, 1, 1] is 1 and kept where it is 0. */
  static INDArray flip(INDArray x, INDArray flip) {
    INDArray mirrored = Nd4j.createUninitialized(x.dataType(), x.shape());
    Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(x).addOutputs(mirrored).addIntegerArguments(3).build());
    INDArray keep = flip.rsub(1.0);
    return mirrored.mul(flip).addi(x.mul(keep));
  }

  @Override
  public String toString() {
    return NAME + "(p=" + p + describeEpochs() + ")";
  }

  /** Makes {@code flip}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Random horizontal flip of NCHW images with probability p per sample; not for digits or text,"
              + " whose mirror image is another class or none",
          AbstractAugmenter.options(
              OptionSpec.of("p", OptionType.DOUBLE, 0.5, "probability of flipping a sample").range(0, 1)));
    }

    @Override
    public Augmenter create(Options options) {
      return new Flip(options);
    }
  }
}
