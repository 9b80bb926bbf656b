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
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Random affine transform of NCHW images: rotation by theta, scaling by s about the image centre
 * c = ((W-1)/2, (H-1)/2), then translation by t, drawn per sample with theta ~ U(-degrees, degrees),
 * t_x ~ U(-a W, a W), t_y ~ U(-b H, b H) and s ~ U(scale); torchvision's {@code RandomAffine} without
 * shear. Positive angles turn the image counter-clockwise as displayed. Each output pixel p reads
 * the input at the inverse map
 *
 * <pre>  q = c + R(-theta) (p - c - t) / s,   R(-theta) = [[cos, -sin], [sin, cos]] in (x right, y down)</pre>
 *
 * by bilinear interpolation; what falls outside the image reads zero (black for images in [0, 1],
 * the mean for standardized ones). Translations are not rounded to whole pixels (torchvision
 * rounds them). Small rotations and shifts are the invariances of Simard, Steinkraus and Platt 2003
 * ("Best Practices for Convolutional Neural Networks Applied to Visual Document Analysis", ICDAR);
 * as for flips, large rotations can change a class (6 and 9).
 *
 * <p>Options: {@code degrees} (10): the largest rotation, in [0, 180]; {@code translate} (0.1): the
 * largest shift as a fraction of the width and height, one number for both or [horizontal,
 * vertical], each in [0, 1]; {@code scale} ([0.9, 1.1]): the range [low, high] of the zoom factor
 * (above 1 enlarges). The grid of source coordinates is built for the whole batch by broadcasting
 * per-sample parameters [N, 1, 1] against pixel rows and columns.
 */
public final class Affine extends AbstractAugmenter {
  public static final String NAME = "affine";

  private final double degrees;
  private final double translateX;
  private final double translateY;
  private final double[] scale;

  public Affine(Options options) {
    super(options);
    this.degrees = options.getDouble("degrees");
    List<Double> translate = options.getDoubleList("translate");
    options.check(translate.size() == 1 || translate.size() == 2,
        "translate is one fraction or [horizontal, vertical]. Received: translate=" + translate);
    this.translateX = translate.get(0);
    this.translateY = translate.get(translate.size() - 1);
    this.scale = RandomCrop.range(options, "scale");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    long n = x.size(0);
    long h = x.size(2);
    long w = x.size(3);
    Rng rng = Images.stream(ctx, NAME);
    INDArray angle = Images.uniform(rng, -degrees, degrees, n);
    INDArray tx = Images.uniform(rng, -translateX * w, translateX * w, n);
    INDArray ty = Images.uniform(rng, -translateY * h, translateY * h, n);
    INDArray s = Images.uniform(rng, scale[0], scale[1], n);
    return batch.withInputs(Tensor.of(transform(x, angle, tx, ty, s)));
  }

  /**
   * The images transformed with given per-sample parameters [N]: angles in degrees, shifts in pixels
   * (x right, y down) and zoom factors.
   */
  static INDArray transform(INDArray x, INDArray degrees, INDArray tx, INDArray ty, INDArray scale) {
    long n = x.size(0);
    double cy = (x.size(2) - 1) / 2.0;
    double cx = (x.size(3) - 1) / 2.0;
    INDArray radians = degrees.castTo(DataType.DOUBLE).mul(Math.PI / 180).reshape(n, 1, 1);
    INDArray zoom = scale.castTo(DataType.DOUBLE).reshape(n, 1, 1);
    INDArray cos = Transforms.cos(radians, true).divi(zoom);
    INDArray sin = Transforms.sin(radians, true).divi(zoom);
    INDArray dx = Images.coordinates(x.size(3), 2).sub(cx).sub(tx.castTo(DataType.DOUBLE).reshape(n, 1, 1));
    INDArray dy = Images.coordinates(x.size(2), 1).sub(cy).sub(ty.castTo(DataType.DOUBLE).reshape(n, 1, 1));
    INDArray sx = cos.mul(dx).sub(sin.mul(dy)).addi(cx);
    INDArray sy = sin.mul(dx).add(cos.mul(dy)).addi(cy);
    return Sampler.bilinear(x, sy, sx);
  }

  @Override
  public String toString() {
    return NAME + "(degrees=" + degrees + ", translate=[" + translateX + ", " + translateY + "], scale=["
        + scale[0] + ", " + scale[1] + "]" + describeEpochs() + ")";
  }

  /** Makes {@code affine}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Random rotation (up to 'degrees'), translation (up to 'translate' of the size) and scale of NCHW images"
              + " per sample; bilinear sampling, zero outside",
          AbstractAugmenter.options(
              OptionSpec.of("degrees", OptionType.DOUBLE, 10.0, "largest rotation in degrees, either way").range(0, 180),
              OptionSpec.of("translate", OptionType.DOUBLE_LIST, List.of(0.1),
                  "largest shift as a fraction of the size: one number, or [horizontal, vertical]").range(0, 1),
              OptionSpec.of("scale", OptionType.DOUBLE_LIST, List.of(0.9, 1.1),
                  "range [low, high] of the zoom factor, low > 0 (above 1 enlarges)")));
    }

    @Override
    public Augmenter create(Options options) {
      return new Affine(options);
    }
  }
}
