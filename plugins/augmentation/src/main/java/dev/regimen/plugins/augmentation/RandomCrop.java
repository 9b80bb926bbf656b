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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Random crop of NCHW images, in one of two modes; the output has the input's size.
 *
 * <p>Mode {@code pad} (default): pad-and-crop, the CIFAR augmentation of He et al. 2016 ("Deep
 * Residual Learning for Image Recognition", CVPR) and torchvision's {@code RandomCrop(size,
 * padding)}. Each image is padded by P pixels on every side and an H x W window is cut at a random
 * offset (oy, ox) in {0, ..., 2P}^2, drawn per sample: x'[c, i, j] = pad(x)[c, i + oy, j + ox] =
 * x[c, i + oy - P, j + ox - P], so each image moves by up to P pixels in each direction. The padding
 * is zero ({@code padding_mode: 'zero'}) or the mirror image without repeating the edge
 * ({@code 'reflect'}, which needs P &lt; H and P &lt; W).
 *
 * <p>Mode {@code resized}: random resized crop (Szegedy et al. 2015, "Going Deeper with
 * Convolutions", CVPR; torchvision's {@code RandomResizedCrop}). Per sample, a box of area s H W and
 * aspect ratio w/h = r is drawn with s ~ U(scale) and log r ~ U(log ratio), its sides rounded to
 * whole pixels; if it does not fit after 10 tries the centre crop of the clamped ratio is used, as
 * torchvision does. The box is resized back to H x W by bilinear interpolation with half-pixel
 * centres (PyTorch's {@code align_corners=False}): output pixel i reads box row (i + 1/2) h/H - 1/2,
 * clamped to the box. The box is never larger than the image, so this only enlarges and needs no
 * antialiasing. Drawing the boxes is a short loop over the N samples (scalar draws, as torchvision's
 * rejection sampling needs); the resampling is whole-batch: both modes act on rows and columns
 * apart, so each is two batched matmuls with per-sample interpolation matrices (0/1 matrices for
 * pad-and-crop, which therefore copies pixels exactly).
 *
 * <p>Options: {@code mode} ({@code pad} or {@code resized}); for {@code pad}: {@code padding} (4)
 * and {@code padding_mode} ({@code zero} or {@code reflect}); for {@code resized}: {@code scale}
 * ([0.08, 1]) and {@code ratio} ([3/4, 4/3]), each a range [low, high]. Options of the other mode are
 * ignored.
 */
public final class RandomCrop extends AbstractAugmenter {
  public static final String NAME = "random_crop";
  private static final int ATTEMPTS = 10;

  private final Options options;
  private final boolean resized;
  private final int padding;
  private final Sampler.Border border;
  private final double[] scale;
  private final double[] ratio;

  public RandomCrop(Options options) {
    super(options);
    this.options = options;
    this.resized = options.getString("mode").equals("resized");
    this.padding = options.getInt("padding");
    this.border = options.getString("padding_mode").equals("reflect") ? Sampler.Border.REFLECT : Sampler.Border.ZERO;
    this.scale = range(options, "scale");
    this.ratio = range(options, "ratio");
    options.check(scale[1] <= 1, "scale is a fraction of the image's area and must lie in (0, 1]. Received: scale="
        + options.getDoubleList("scale"));
  }

  /** A [low, high] option with 0 &lt; low &lt;= high. */
  static double[] range(Options options, String name) {
    List<Double> values = options.getDoubleList(name);
    options.check(values.size() == 2 && values.get(0) > 0 && values.get(0) <= values.get(1),
        name + " must be a range [low, high] with 0 < low <= high. Received: " + name + "=" + values);
    return new double[] {values.get(0), values.get(1)};
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    long n = x.size(0);
    long h = x.size(2);
    long w = x.size(3);
    Rng rng = Images.stream(ctx, NAME);
    if (resized) {
      double[][] boxes = boxes(rng, (int) n, h, w, scale, ratio);
      return batch.withInputs(Tensor.of(resizedCrop(x, boxes[0], boxes[1], boxes[2], boxes[3])));
    }
    if (padding == 0) {
      return batch;
    }
    if (border == Sampler.Border.REFLECT && (padding >= h || padding >= w)) {
      throw new IllegalArgumentException(NAME + ": reflect padding must be smaller than the image; got padding="
          + padding + " for images of " + h + "x" + w);
    }
    INDArray offsetY = offsets(rng, n);
    INDArray offsetX = offsets(rng, n);
    return batch.withInputs(Tensor.of(padCrop(x, offsetY, offsetX, padding, border)));
  }

  /** Whole-number offsets uniform in {0, ..., 2P}, as float64 [n]. */
  private INDArray offsets(Rng rng, long n) {
    INDArray u = rng.uniform(DataType.DOUBLE, 0, 2 * padding + 1, n);
    return Transforms.min(Transforms.floor(u, false), 2.0 * padding, false);
  }

  /**
   * Pad-and-crop with given offsets [N] in {0, ..., 2P}: x'[n, c, i, j] = x[n, c, i + oy_n - P, j + ox_n - P],
   * reading the border outside the image.
   */
  static INDArray padCrop(INDArray x, INDArray offsetY, INDArray offsetX, int padding, Sampler.Border border) {
    long n = x.size(0);
    INDArray sy = Nd4j.arange(x.size(2)).castTo(DataType.DOUBLE).reshape(1, x.size(2))
        .add(offsetY.castTo(DataType.DOUBLE).sub(padding).reshape(n, 1));
    INDArray sx = Nd4j.arange(x.size(3)).castTo(DataType.DOUBLE).reshape(1, x.size(3))
        .add(offsetX.castTo(DataType.DOUBLE).sub(padding).reshape(n, 1));
    return Sampler.separable(x, sy, sx, border);
  }

  /**
   * Each sample's box (top, left, height, width in pixels) resized to the image's size by bilinear
   * interpolation with half-pixel centres, clamped to the box.
   */
  static INDArray resizedCrop(INDArray x, double[] top, double[] left, double[] height, double[] width) {
    long n = x.size(0);
    INDArray sy = boxCoordinates(x.size(2), top, height, n);
    INDArray sx = boxCoordinates(x.size(3), left, width, n);
    return Sampler.separable(x, sy, sx, Sampler.Border.ZERO);
  }

  /** start + clamp((i + 1/2) extent/size - 1/2, 0, extent - 1) for i in 0..size-1, per sample. */
  private static INDArray boxCoordinates(long size, double[] start, double[] extent, long n) {
    INDArray e = Nd4j.createFromArray(extent).reshape(n, 1);
    INDArray relative = Nd4j.arange(size).castTo(DataType.DOUBLE).reshape(1, size).add(0.5).mul(e.div((double) size))
        .subi(0.5);
    relative = Transforms.max(relative, 0.0, false);
    INDArray over = Transforms.max(relative.sub(e.sub(1.0)), 0.0, false);
    return relative.subi(over).addi(Nd4j.createFromArray(start).reshape(n, 1));
  }

  /**
   * torchvision's {@code RandomResizedCrop.get_params} for each of n samples: {top, left, height, width}.
   * Sides are rounded half to even, as Python's {@code round}.
   */
  static double[][] boxes(Rng rng, int n, long h, long w, double[] scale, double[] ratio) {
    double[][] out = new double[4][n];
    double area = (double) h * w;
    double logLow = Math.log(ratio[0]);
    double logHigh = Math.log(ratio[1]);
    for (int s = 0; s < n; s++) {
      boolean found = false;
      for (int attempt = 0; attempt < ATTEMPTS && !found; attempt++) {
        double target = area * (scale[0] + (scale[1] - scale[0]) * rng.nextDouble());
        double aspect = Math.exp(logLow + (logHigh - logLow) * rng.nextDouble());
        double bw = Math.rint(Math.sqrt(target * aspect));
        double bh = Math.rint(Math.sqrt(target / aspect));
        if (bw > 0 && bw <= w && bh > 0 && bh <= h) {
          out[0][s] = rng.nextInt((int) (h - bh) + 1);
          out[1][s] = rng.nextInt((int) (w - bw) + 1);
          out[2][s] = bh;
          out[3][s] = bw;
          found = true;
        }
      }
      if (!found) {
        double inRatio = (double) w / h;
        double bw = w;
        double bh = h;
        if (inRatio < ratio[0]) {
          bh = Math.rint(w / ratio[0]);
        } else if (inRatio > ratio[1]) {
          bw = Math.rint(h * ratio[1]);
        }
        out[0][s] = Math.floor((h - bh) / 2);
        out[1][s] = Math.floor((w - bw) / 2);
        out[2][s] = bh;
        out[3][s] = bw;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(" + (resized
        ? "mode=resized, scale=" + options.getDoubleList("scale") + ", ratio=" + options.getDoubleList("ratio")
        : "mode=pad, padding=" + padding + ", padding_mode=" + options.getString("padding_mode"))
        + describeEpochs() + ")";
  }

  /** Makes {@code random_crop}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Random crop of NCHW images back to their size: pad by 'padding' and cut at a random offset (mode pad),"
              + " or a random box of area 'scale' and aspect 'ratio' resized bilinearly (mode resized)",
          AbstractAugmenter.options(
              OptionSpec.of("mode", OptionType.STRING, "pad", "pad: pad-and-crop; resized: random resized crop")
                  .oneOf("pad", "resized"),
              OptionSpec.of("padding", OptionType.INT, 4, "pixels added on every side (mode pad)").atLeast(0),
              OptionSpec.of("padding_mode", OptionType.STRING, "zero",
                  "what the padding holds: zero, or reflect (the mirror image, edge not repeated) (mode pad)")
                  .oneOf("zero", "reflect"),
              OptionSpec.of("scale", OptionType.DOUBLE_LIST, List.of(0.08, 1.0),
                  "range [low, high] of the box's area as a fraction of the image's, in (0, 1] (mode resized)"),
              OptionSpec.of("ratio", OptionType.DOUBLE_LIST, List.of(3.0 / 4, 4.0 / 3),
                  "range [low, high] of the box's aspect ratio width/height (mode resized)")));
    }

    @Override
    public Augmenter create(Options options) {
      return new RandomCrop(options);
    }
  }
}
