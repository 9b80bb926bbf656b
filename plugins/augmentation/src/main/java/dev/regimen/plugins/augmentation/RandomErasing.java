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
import org.pf4j.Extension;

/**
 * Random erasing (Zhong, Zheng, Kang, Li and Yang 2020, "Random Erasing Data Augmentation", AAAI):
 * with probability p, independently per sample, a random box of the NCHW image is overwritten,
 *
 * <pre>  x'[c, i, j] = v[c, i, j] inside the box,   x'[c, i, j] = x[c, i, j] outside</pre>
 *
 * so the model must recognize objects from their parts, as when they are occluded. The box has area
 * s H W and aspect ratio h/w = r, s ~ U(scale) and log r ~ U(log ratio), its sides rounded to whole
 * pixels, and a random position that keeps it inside the image; a box that does not fit after 10
 * draws leaves the sample unerased (torchvision's {@code RandomErasing.get_params}). The fill v is
 * the paper's random values ({@code uniform}: U(0, 1) per pixel and channel, for images in [0, 1]),
 * Gaussian noise ({@code normal}: N(0, 1), for standardized inputs, timm's "pixel" mode), or a
 * constant ({@code constant} with {@code value}, torchvision's default 0). With a fill of 0 it is
 * Cutout (DeVries and Taylor 2017, "Improved Regularization of Convolutional Neural Networks with
 * Cutout"), whose box is a fixed square: {@code scale: [s, s], ratio: [1, 1], p: 1}.
 *
 * <p>Options: {@code p} (0.5, in [0, 1]), {@code scale} ([0.02, 0.33], a range of fractions of the
 * image's area in (0, 1]), {@code ratio} ([0.3, 3.3], a range of aspect ratios), {@code fill}
 * ({@code uniform}, {@code normal} or {@code constant}) and {@code value} (0, for {@code constant}).
 * Boxes are drawn in a short loop over the samples; the erasing is one mask [N, 1, H, W] and a blend.
 */
public final class RandomErasing extends AbstractAugmenter {
  public static final String NAME = "random_erasing";
  private static final int ATTEMPTS = 10;

  private final double p;
  private final double[] scale;
  private final double[] ratio;
  private final String fill;
  private final double value;

  public RandomErasing(Options options) {
    super(options);
    this.p = options.getDouble("p");
    this.scale = RandomCrop.range(options, "scale");
    this.ratio = RandomCrop.range(options, "ratio");
    options.check(scale[1] <= 1, "scale is a fraction of the image's area and must lie in (0, 1]. Received: scale="
        + options.getDoubleList("scale"));
    this.fill = options.getString("fill");
    this.value = options.getDouble("value");
    options.check(Double.isFinite(value), "value must be a finite number. Received: value=" + value);
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    if (p == 0) {
      return batch;
    }
    Rng rng = Images.stream(ctx, NAME);
    double[][] boxes = boxes(rng, (int) x.size(0), x.size(2), x.size(3));
    INDArray mask = Images.boxMask(x.size(2), x.size(3), boxes[0], boxes[1], boxes[2], boxes[3]);
    DataType type = Images.floatType(x);
    INDArray values = switch (fill) {
      case "uniform" -> rng.uniform(type, 0, 1, x.shape());
      case "normal" -> rng.normal(type, 0, 1, x.shape());
      default -> null;
    };
    return batch.withInputs(Tensor.of(erase(x.castTo(type), mask.castTo(type), values, value)));
  }

  /** x outside the mask [N, 1, H, W], the values (or the constant where values is null) inside. */
  static INDArray erase(INDArray x, INDArray mask, INDArray values, double constant) {
    INDArray keep = mask.rsub(1.0);
    INDArray out = x.mul(keep.broadcast(x.shape()));
    INDArray inside = mask.broadcast(x.shape());
    return values == null ? out.addi(inside.mul(constant)) : out.addi(values.mul(inside));
  }

  /**
   * {top, left, height, width} per sample: with probability p a box of area fraction s ~ U(scale) and
   * ratio h/w with log r ~ U(log ratio) that fits inside the image (up to 10 draws), else an empty box.
   */
  double[][] boxes(Rng rng, int n, long h, long w) {
    double[][] out = new double[4][n];
    double area = (double) h * w;
    double logLow = Math.log(ratio[0]);
    double logHigh = Math.log(ratio[1]);
    for (int s = 0; s < n; s++) {
      if (rng.nextDouble() >= p) {
        continue;
      }
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        double target = area * (scale[0] + (scale[1] - scale[0]) * rng.nextDouble());
        double aspect = Math.exp(logLow + (logHigh - logLow) * rng.nextDouble());
        double bh = Math.rint(Math.sqrt(target * aspect));
        double bw = Math.rint(Math.sqrt(target / aspect));
        if (bh >= 1 && bw >= 1 && bh < h && bw < w) {
          out[0][s] = rng.nextInt((int) (h - bh) + 1);
          out[1][s] = rng.nextInt((int) (w - bw) + 1);
          out[2][s] = bh;
          out[3][s] = bw;
          break;
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(p=" + p + ", scale=[" + scale[0] + ", " + scale[1] + "], ratio=[" + ratio[0] + ", " + ratio[1]
        + "], fill=" + fill + (fill.equals("constant") ? ", value=" + value : "") + describeEpochs() + ")";
  }

  /** Makes {@code random_erasing}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Random erasing (Zhong et al. 2020): with probability p a random box of each NCHW image is overwritten"
              + " with noise or a constant (Cutout when the fill is 0)",
          AbstractAugmenter.options(
              OptionSpec.of("p", OptionType.DOUBLE, 0.5, "probability of erasing a box in a sample").range(0, 1),
              OptionSpec.of("scale", OptionType.DOUBLE_LIST, List.of(0.02, 0.33),
                  "range [low, high] of the box's area as a fraction of the image's, in (0, 1]"),
              OptionSpec.of("ratio", OptionType.DOUBLE_LIST, List.of(0.3, 3.3),
                  "range [low, high] of the box's aspect ratio height/width"),
              OptionSpec.of("fill", OptionType.STRING, "uniform",
                  "what the box holds: uniform (U(0, 1) noise, the paper's), normal (N(0, 1) noise, for standardized"
                      + " inputs) or constant (value)").oneOf("uniform", "normal", "constant"),
              OptionSpec.of("value", OptionType.DOUBLE, 0.0, "the constant of fill: constant (0 is Cutout)")));
    }

    @Override
    public Augmenter create(Options options) {
      return new RandomErasing(options);
    }
  }
}
