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
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Colour jitter: random changes of brightness, contrast, saturation and hue of NCHW images, with
 * factors drawn per sample; torchvision's {@code ColorJitter}, as used for ImageNet since Krizhevsky
 * et al. 2012 ("ImageNet Classification with Deep Convolutional Neural Networks", NIPS). With g(x)
 * the grayscale image 0.2989 R + 0.587 G + 0.114 B (the input itself for one channel) and m its
 * mean over the image:
 *
 * <ul>
 *   <li>brightness: x' = b x, b ~ U(max(0, 1 - brightness), 1 + brightness);
 *   <li>contrast: x' = c x + (1 - c) m, c ~ U(max(0, 1 - contrast), 1 + contrast);
 *   <li>saturation: x' = s x + (1 - s) g(x), s ~ U(max(0, 1 - saturation), 1 + saturation);
 *   <li>hue: the hue of every pixel (HSV, in turns) shifted by h ~ U(-hue, hue), modulo 1.
 * </ul>
 *
 * <p>The adjustments whose factor is above 0 are applied in a random order, drawn once per batch
 * (torchvision draws it per call; per sample orders would split the batch). With {@code clip} (the
 * default) the image is limited to [0, 1] after each step, as torchvision does for float images;
 * turn it off for inputs that are not in [0, 1] (standardized ones), where brightness then scales
 * about zero. Hue works in HSV and expects images in [0, 1].
 *
 * <p>Saturation and hue need colour: on a batch with one channel only brightness and contrast
 * apply, and a saturation or hue above 0 is an error rather than silently ignored, so a colour
 * pipeline pointed at grayscale data says so. Brightness and contrast accept 1 or 3 channels,
 * saturation and hue exactly 3 (RGB). Every factor defaults to 0 (no change), as in torchvision,
 * and at least one must be set. All four steps are whole-array ops with factors [N, 1, 1, 1]; hue
 * uses libnd4j's {@code rgb_to_hsv} and {@code hsv_to_rgb} on the channel axis.
 */
public final class ColorJitter extends AbstractAugmenter {
  public static final String NAME = "color_jitter";

  private static final double[] LUMA = {0.2989, 0.587, 0.114};

  private final double brightness;
  private final double contrast;
  private final double saturation;
  private final double hue;
  private final boolean clip;

  public ColorJitter(Options options) {
    super(options);
    this.brightness = options.getDouble("brightness");
    this.contrast = options.getDouble("contrast");
    this.saturation = options.getDouble("saturation");
    this.hue = options.getDouble("hue");
    this.clip = options.getBoolean("clip");
    options.check(brightness > 0 || contrast > 0 || saturation > 0 || hue > 0,
        "every factor is 0, so it would change nothing; set brightness, contrast, saturation or hue above 0."
            + " Received: " + options);
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    long channels = x.size(1);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(NAME + ": images must have 1 (grayscale) or 3 (RGB) channels; got "
          + channels + " in shape " + Arrays.toString(x.shape()));
    }
    if (channels == 1 && (saturation > 0 || hue > 0)) {
      throw new IllegalArgumentException(NAME + ": saturation and hue need RGB images, but the batch has 1 channel"
          + " (shape " + Arrays.toString(x.shape()) + "). Received: saturation=" + saturation + ", hue=" + hue
          + "; set them to 0 for grayscale data.");
    }
    long n = x.size(0);
    Rng rng = Images.stream(ctx, NAME);
    DataType type = Images.floatType(x);
    INDArray b = factors(rng, brightness, n, type);
    INDArray c = factors(rng, contrast, n, type);
    INDArray s = factors(rng, saturation, n, type);
    INDArray h = Images.uniform(rng, -hue, hue, n).castTo(type);
    INDArray out = x.castTo(type).dup();
    for (int step : rng.permutation(4)) {
      out = switch (step) {
        case 0 -> brightness > 0 ? finish(brightness(out, b)) : out;
        case 1 -> contrast > 0 ? finish(contrast(out, c)) : out;
        case 2 -> saturation > 0 ? finish(saturation(out, s)) : out;
        default -> hue > 0 ? finish(hue(out, h)) : out;
      };
    }
    return batch.withInputs(Tensor.of(out));
  }

  private INDArray finish(INDArray x) {
    return clip ? Images.clipUnit(x) : x;
  }

  /** Factors U(max(0, 1 - amount), 1 + amount) for n samples, [n]. */
  private static INDArray factors(Rng rng, double amount, long n, DataType type) {
    return Images.uniform(rng, Math.max(0, 1 - amount), 1 + amount, n).castTo(type);
  }

  /** b x with b [N] one factor per sample. */
  static INDArray brightness(INDArray x, INDArray b) {
    return x.mul(Images.perSample(b.castTo(x.dataType()), 4));
  }

  /** c x + (1 - c) m, m the mean of each sample's grayscale image, c [N]. */
  static INDArray contrast(INDArray x, INDArray c) {
    INDArray f = Images.perSample(c.castTo(x.dataType()), 4);
    INDArray mean = grayscale(x).mean(true, 1, 2, 3);
    return x.mul(f).addi(mean.mul(f.rsub(1.0)));
  }

  /** s x + (1 - s) g(x), g the grayscale image, s [N]. */
  static INDArray saturation(INDArray x, INDArray s) {
    INDArray f = Images.perSample(s.castTo(x.dataType()), 4);
    return x.mul(f).addi(grayscale(x).mul(f.rsub(1.0)));
  }

  /** The hue of RGB images rotated by h [N] turns. */
  static INDArray hue(INDArray x, INDArray h) {
    INDArray hsv = colourOp("rgb_to_hsv", x);
    INDArray hueChannel = hsv.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
    INDArray shifted = hueChannel.add(h.castTo(x.dataType()).reshape(x.size(0), 1, 1));
    shifted.subi(Transforms.floor(shifted, true));
    hueChannel.assign(shifted);
    return colourOp("hsv_to_rgb", hsv);
  }

  /** 0.2989 R + 0.587 G + 0.114 B as [N, 1, H, W]; the image itself if it has one channel. */
  static INDArray grayscale(INDArray x) {
    if (x.size(1) == 1) {
      return x;
    }
    INDArray weights = Nd4j.createFromArray(LUMA).castTo(x.dataType()).reshape(1, 3, 1, 1);
    return x.mul(weights).sum(true, 1);
  }

  private static INDArray colourOp(String op, INDArray x) {
    INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x).addOutputs(out).addIntegerArguments(1).build());
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(brightness=" + brightness + ", contrast=" + contrast + ", saturation=" + saturation + ", hue="
        + hue + ", clip=" + clip + describeEpochs() + ")";
  }

  /** Makes {@code color_jitter}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Random brightness, contrast, saturation and hue of NCHW images per sample; saturation and hue need RGB",
          AbstractAugmenter.options(
              OptionSpec.of("brightness", OptionType.DOUBLE, 0.0,
                  "x * b with b ~ U(max(0, 1 - brightness), 1 + brightness)").atLeast(0),
              OptionSpec.of("contrast", OptionType.DOUBLE, 0.0,
                  "blend with the mean gray level by c ~ U(max(0, 1 - contrast), 1 + contrast)").atLeast(0),
              OptionSpec.of("saturation", OptionType.DOUBLE, 0.0,
                  "blend with the grayscale image by s ~ U(max(0, 1 - saturation), 1 + saturation); RGB only").atLeast(0),
              OptionSpec.of("hue", OptionType.DOUBLE, 0.0, "hue shift in turns, h ~ U(-hue, hue); RGB only")
                  .range(0, 0.5),
              OptionSpec.of("clip", OptionType.BOOLEAN, true,
                  "limit to [0, 1] after each step; turn off for inputs not in [0, 1]")));
    }

    @Override
    public Augmenter create(Options options) {
      return new ColorJitter(options);
    }
  }
}
