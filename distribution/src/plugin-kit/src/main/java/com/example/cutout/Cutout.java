package com.example.cutout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Cutout: each training image has one square patch of {@code size} x {@code size} pixels set to zero
 * in every channel, at a centre drawn uniformly over the image, so that the patch may lie partly
 * outside it (DeVries and Taylor 2017, "Improved Regularization of Convolutional Neural Networks with
 * Cutout", arXiv:1708.04552). For an image x [C, H, W] and a centre (cy, cx) drawn uniformly from
 * {0..H-1} x {0..W-1}:
 *
 * <pre>
 *   x'[c, i, j] = 0      if y1 &lt;= i &lt; y2 and x1 &lt;= j &lt; x2
 *   x'[c, i, j] = x[c, i, j] otherwise
 *   y1 = clip(cy - floor(size/2), 0, H), y2 = clip(cy - floor(size/2) + size, 0, H)
 *   x1 = clip(cx - floor(size/2), 0, W), x2 = clip(cx - floor(size/2) + size, 0, W)
 * </pre>
 *
 * For an even size this is the paper's code; for an odd size the square is size pixels wide, where
 * the paper's code ({@code cy +- size // 2}) makes it one pixel narrower.
 *
 * <p>Why it helps: the network cannot rely on one small discriminative region, because any region may
 * be missing, so it learns to use the whole context of an image; the paper likens it to dropout on
 * the input where the dropped units are contiguous. It found that the size of the patch matters more
 * than its shape, and that letting the centre fall near the border (so that some images keep most of
 * their pixels) works better than keeping the patch inside. Zero is the data set's mean once inputs
 * are standardized, which is what the paper assumes: standardize first ({@code normalize: 'zscore'}).
 *
 * <p>Options: {@code size} (default 16, the paper's value for CIFAR-10; 8 for CIFAR-100, 20 for SVHN),
 * the side of the square in pixels, at least 1; {@code p} (default 1.0, as in the paper), the
 * probability that an image is cut at all, in [0, 1]. Bad values are refused by the framework's option
 * checks with the value echoed ({@code Received: size=0}).
 */
public final class Cutout implements Augmenter {
  /** The name scripts use: {@code rg.augmenter('cutout', {size: 4})}. */
  public static final String NAME = "cutout";

  private final int size;
  private final double p;

  public Cutout(Options options) {
    this.size = options.getInt("size");
    this.p = options.getDouble("p");
  }

  @Override
  public Batch apply(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    if (x.rank() != 4) {
      throw new ShapeException(NAME + ": inputs must be images [N, C, H, W] (NCHW); got shape "
          + Arrays.toString(x.shape()) + ". Reshape flat rows first, e.g. digits to [N, 1, 8, 8].");
    }
    if (p == 0) {
      return batch;
    }
    Rng rng = ctx.rng().fork("augment:" + NAME);
    int n = (int) x.size(0);
    int h = (int) x.size(2);
    int w = (int) x.size(3);
    float[] keep = new float[n * h * w];
    Arrays.fill(keep, 1f);
    for (int s = 0; s < n; s++) {
      boolean cut = rng.nextDouble() < p; // drawn for every sample, so that p does not shift the centres
      int cy = rng.nextInt(h);
      int cx = rng.nextInt(w);
      if (cut) {
        zeroSquare(keep, s * h * w, h, w, cy, cx, size);
      }
    }
    INDArray mask = Nd4j.create(keep, new long[] {n, 1, h, w}).castTo(x.dataType());
    return batch.withInputs(Tensor.of(x.mul(mask)));
  }

  /** Writes zeros into the [h, w] plane at {@code offset} of {@code keep}: the square of this centre, clipped. */
  static void zeroSquare(float[] keep, int offset, int h, int w, int cy, int cx, int size) {
    int top = cy - size / 2;
    int left = cx - size / 2;
    int y1 = Math.max(top, 0);
    int y2 = Math.min(top + size, h);
    int x1 = Math.max(left, 0);
    int x2 = Math.min(left + size, w);
    for (int i = y1; i < y2; i++) {
      Arrays.fill(keep, offset + i * w + x1, offset + i * w + x2, 0f);
    }
  }

  @Override
  public String toString() {
    return NAME + "(size=" + size + ", p=" + p + ")";
  }

  /**
   * Makes {@code cutout}. PF4J's annotation processor lists every {@code @Extension} class in
   * {@code META-INF/extensions.idx}; that index is how the framework finds the component.
   */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Cutout: one size x size square of each image set to zero, centred anywhere (DeVries & Taylor 2017)",
          List.of(
              OptionSpec.of("size", OptionType.INT, 16, "side of the square in pixels (paper: 16 on CIFAR-10)")
                  .atLeast(1),
              OptionSpec.of("p", OptionType.DOUBLE, 1.0, "probability that an image is cut").range(0, 1)));
    }

    @Override
    public Augmenter create(Options options) {
      return new Cutout(options);
    }
  }
}
