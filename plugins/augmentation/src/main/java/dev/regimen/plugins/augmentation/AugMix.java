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
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * AugMix (Hendrycks, Mu, Cubuk, Zoph, Gilmer and Lakshminarayanan 2020, "AugMix: A Simple Data
 * Processing Method to Improve Robustness and Uncertainty", ICLR, Algorithm 1): each image is mixed
 * from k augmentation chains and then with itself,
 *
 * <pre>
 *   x_aug = m x + (1 - m) sum_i w_i chain_i(x),   (w_1 .. w_k) ~ Dirichlet(alpha, .., alpha),   m ~ Beta(alpha, alpha)
 *   chain_i = op_d o .. o op_1,   d ~ U{1, 2, 3} (or {@code depth}),   op ~ U(list),   level ~ U(0.1, severity) / 10
 * </pre>
 *
 * <p>so the augmented image stays close to the original (the convex mixes keep it on the data
 * manifold) while the chains make it diverse. The list is {@link ImageOps#AUGMIX} (auto contrast,
 * posterize, rotate, solarize, shear and translate; the paper's equalize is left out, see there):
 * operations that do not overlap the corruptions of ImageNet-C, which AugMix is evaluated on. Every
 * draw is per sample. Images are NCHW in [0, 1].
 *
 * <p>With {@code jsd} (the paper's full method) the batch becomes three: the clean images and two
 * independent AugMix versions, [x; x_aug1; x_aug2] with the targets (and indices) repeated, for the
 * {@code augmix.jsd} objective ({@link AugMixLoss}): cross-entropy on the clean third plus lambda times
 * the Jensen-Shannon divergence between the three predictions, the consistency loss that makes the
 * model's output stable under the augmentations. Without it, the batch is replaced by one AugMix
 * version (timm's AugMix without the split) and any loss trains on it.
 *
 * <p>Options: {@code width} (k, 3), {@code depth} (-1: a random depth of 1 to 3 per chain; else 1 to
 * 10), {@code severity} (3, in [1, 10]), {@code alpha} (1, &gt; 0; the paper's), {@code jsd} (false).
 */
public final class AugMix extends AbstractAugmenter {
  public static final String NAME = "augmix";

  private final int width;
  private final int depth;
  private final int severity;
  private final double alpha;
  private final boolean jsd;

  public AugMix(Options options) {
    super(options);
    this.width = options.getInt("width");
    this.depth = options.getInt("depth");
    options.check(depth == -1 || (depth >= 1 && depth <= 10),
        "depth must be -1 (random, 1 to 3) or 1 to 10. Received: depth=" + depth);
    this.severity = options.getInt("severity");
    this.alpha = options.getDouble("alpha");
    options.check(alpha > 0, "alpha must be > 0 (the Dirichlet and Beta parameter). Received: alpha=" + alpha);
    this.jsd = options.getBoolean("jsd");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    INDArray x = batch.inputs().array();
    Images.requireNchw(NAME, x);
    Rng rng = Images.stream(ctx, NAME);
    INDArray images = x.castTo(Images.floatType(x));
    if (!jsd) {
      return batch.withInputs(Tensor.of(augmix(images, rng.fork("view:1"))));
    }
    INDArray inputs = Nd4j.concat(0, images, augmix(images, rng.fork("view:1")), augmix(images, rng.fork("view:2")));
    INDArray targets = batch.targets().array();
    int[] indices = null;
    if (batch.indices() != null) {
      int n = batch.indices().length;
      indices = new int[3 * n];
      for (int v = 0; v < 3; v++) {
        System.arraycopy(batch.indices(), 0, indices, v * n, n);
      }
    }
    return new Batch(Tensor.of(inputs), Tensor.of(Nd4j.concat(0, targets, targets, targets)), indices);
  }

  /** One AugMix version of every image, each with its own draws. */
  INDArray augmix(INDArray x, Rng rng) {
    int n = (int) x.size(0);
    double[][] weights = new double[n][];
    double[] keep = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = dirichlet(rng, alpha, width);
      keep[i] = BetaDistribution.sample(rng, alpha, alpha);
    }
    INDArray mixed = Nd4j.zeros(x.dataType(), x.shape());
    for (int c = 0; c < width; c++) {
      INDArray chain = chain(x, rng);
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = weights[i][c];
      }
      mixed.addi(chain.muli(Images.perSample(Nd4j.createFromArray(w).castTo(x.dataType()), 4)));
    }
    INDArray m = Images.perSample(Nd4j.createFromArray(keep).castTo(x.dataType()), 4);
    return x.mul(m).addi(mixed.muli(m.rsub(1.0)));
  }

  /** One chain for every image (package-private for the tests): up to 3 (or {@code depth}) operations, a sample's shorter chain padded by identity. */
  INDArray chain(INDArray x, Rng rng) {
    int n = (int) x.size(0);
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = depth > 0 ? depth : 1 + rng.nextInt(3);
    }
    int longest = depth > 0 ? depth : 3;
    INDArray out = x;
    for (int step = 0; step < longest; step++) {
      List<ImageOps> ops = new ArrayList<>(n);
      double[] levels = new double[n];
      double[] signs = new double[n];
      for (int i = 0; i < n; i++) {
        ImageOps op = ImageOps.AUGMIX.get(rng.nextInt(ImageOps.AUGMIX.size()));
        double level = (0.1 + (severity - 0.1) * rng.nextDouble()) / 10;
        double sign = rng.nextDouble() < 0.5 ? -1 : 1;
        ops.add(step < lengths[i] ? op : ImageOps.IDENTITY);
        levels[i] = level;
        signs[i] = sign;
      }
      out = ImageOps.applyPerSample(out, ops, levels, signs);
    }
    return out;
  }

  /** One draw from Dirichlet(alpha, .., alpha) of k components, from k Gamma draws. */
  static double[] dirichlet(Rng rng, double alpha, int k) {
    double[] logs = new double[k];
    double largest = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      logs[i] = BetaDistribution.logGamma(rng, alpha);
      largest = Math.max(largest, logs[i]);
    }
    double sum = 0;
    double[] out = new double[k];
    for (int i = 0; i < k; i++) {
      out[i] = Math.exp(logs[i] - largest);
      sum += out[i];
    }
    for (int i = 0; i < k; i++) {
      out[i] /= sum;
    }
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(width=" + width + ", depth=" + depth + ", severity=" + severity + ", alpha=" + alpha
        + (jsd ? ", jsd" : "") + describeEpochs() + ")";
  }

  /** Makes {@code augmix}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "AugMix (Hendrycks et al. 2020): each NCHW image in [0, 1] mixed from width random augmentation chains and"
              + " itself; with jsd, the batch becomes [clean; aug1; aug2] for the augmix.jsd objective",
          AbstractAugmenter.options(
              OptionSpec.of("width", OptionType.INT, 3, "number of augmentation chains mixed, k").atLeast(1),
              OptionSpec.of("depth", OptionType.INT, -1, "operations per chain; -1: random, 1 to 3"),
              OptionSpec.of("severity", OptionType.INT, 3, "largest operation level, on a scale of 1 to 10")
                  .range(1, 10),
              OptionSpec.of("alpha", OptionType.DOUBLE, 1.0, "parameter of the Dirichlet and Beta mixing weights, > 0")
                  .atLeast(0),
              OptionSpec.of("jsd", OptionType.BOOLEAN, false,
                  "make the batch [clean; aug1; aug2] for the Jensen-Shannon consistency loss of objective augmix.jsd")));
    }

    @Override
    public Augmenter create(Options options) {
      return new AugMix(options);
    }
  }
}
