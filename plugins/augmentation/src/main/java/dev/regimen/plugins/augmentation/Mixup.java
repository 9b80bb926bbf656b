package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.AdjustableOptions;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Mixup and CutMix, the two ways of training on pairs of samples, in one class as timm's {@code
 * mixup.py} has them. Each sample i gets a partner j = pi(i) from a random permutation pi of the
 * batch, as in the papers' reference code, and lambda ~ Beta(alpha, alpha):
 *
 * <ul>
 *   <li>{@code mixup} (Zhang, Cisse, Dauphin and Lopez-Paz 2018, "mixup: Beyond Empirical Risk
 *       Minimization", ICLR): the inputs and the targets are blended,
 *       <pre>  x_i' = lambda x_i + (1 - lambda) x_j,   y_i' = lambda y_i + (1 - lambda) y_j</pre>
 *   <li>{@code cutmix} (Yun, Han, Oh, Chun, Choe and Yoo 2019, "CutMix: Regularization Strategy to
 *       Train Strong Classifiers with Localizable Features", ICCV): a box of the partner's image is
 *       pasted into the image, and the targets are mixed by the area the sample keeps,
 *       <pre>  x_i' = (1 - M) x_i + M x_j,   y_i' = lambda' y_i + (1 - lambda') y_j,   lambda' = 1 - |box| / (H W)</pre>
 *       with M the box's 0/1 mask. The box has sides H sqrt(1 - lambda) and W sqrt(1 - lambda)
 *       (whole pixels), a centre uniform over the image, and is clipped to it, one box for the batch
 *       (timm's {@code rand_bbox}); lambda' corrects lambda for the clipping (timm's
 *       {@code correct_lam}), so the targets say exactly how much of each image is there.
 * </ul>
 *
 * <p>Class labels become one-hot rows first, so the targets come out as distributions [N, K] for a
 * loss that accepts them ({@code softmax_cross_entropy}); regression targets are mixed as they are.
 * Small alpha keeps lambda near 0 or 1 (mostly one image, a little of another); alpha = 1 makes it
 * uniform. Beta draws are X / (X + Y) of two Gamma draws ({@link BetaDistribution}).
 *
 * <p>Switching: {@code mixup} with {@code switch_prob} above 0 does CutMix instead, with {@code
 * cutmix_alpha}, for a switch_prob share of the batches, drawn per batch (timm's {@code
 * switch_prob}; its recipes use mixup alpha 0.8, cutmix alpha 1.0, switch_prob 0.5). Both components
 * take {@code off_last_epochs} ({@link AbstractAugmenter}), timm's {@code mixup_off_epoch}.
 *
 * <p>Options of {@code mixup}: {@code alpha} (0.2, the paper's ImageNet value; &gt; 0), {@code
 * per_sample} (false: one lambda for the whole batch as in the paper, or one per sample), {@code
 * switch_prob} (0, in [0, 1]) and {@code cutmix_alpha} (1, &gt; 0). Mixup accepts inputs of any shape;
 * the permutation is applied with one {@code gather} and the blend is one broadcast of lambda. Options
 * of {@code cutmix}: {@code alpha} (1, the paper's; &gt; 0). CutMix needs NCHW images.
 */
public final class Mixup extends AbstractAugmenter implements Adjustable.WithOptions {
  public static final String NAME = "mixup";
  public static final String CUTMIX = "cutmix";

  private final String name;
  private final AdjustableOptions adjustable;
  private final boolean perSample;
  private final double switchProb;
  private final double cutmixAlpha;

  private Mixup(String name, Options options, double alpha, boolean perSample, double switchProb,
      double cutmixAlpha) {
    super(options);
    this.name = name;
    this.adjustable = new AdjustableOptions(options, "alpha");
    this.perSample = perSample;
    this.switchProb = switchProb;
    this.cutmixAlpha = cutmixAlpha;
    checkAlpha(options, alpha);
    options.check(cutmixAlpha > 0, "cutmix_alpha must be > 0 (the Beta distribution's parameter). Received:"
        + " cutmix_alpha=" + cutmixAlpha);
  }

  private static void checkAlpha(Options options, double alpha) {
    options.check(alpha > 0, "alpha must be > 0 (the Beta distribution's parameter). Received: alpha=" + alpha);
  }

  /**
   * {@code alpha} may change while training runs (a schedule of the mixing strength): mixup's
   * Beta parameter, or CutMix's for {@code cutmix}.
   */
  @Override
  public AdjustableOptions adjustable() {
    return adjustable;
  }

  @Override
  public void adjust(String name, double value) {
    checkAlpha(adjustable.options(), value);
    adjustable.set(name, value);
  }

  /** {@code mixup} from its options. */
  static Mixup mixup(Options options) {
    return new Mixup(NAME, options, options.getDouble("alpha"), options.getBoolean("per_sample"),
        options.getDouble("switch_prob"), options.getDouble("cutmix_alpha"));
  }

  /** {@code cutmix} from its options: CutMix for every batch. */
  static Mixup cutmix(Options options) {
    double alpha = options.getDouble("alpha");
    return new Mixup(CUTMIX, options, alpha, false, 1, alpha);
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    int n = (int) batch.size();
    Rng rng = Images.stream(ctx, name);
    // Plain mixup draws nothing for the switch, so its numbers stay those of a mixup without one.
    boolean cut = switchProb >= 1 || (switchProb > 0 && rng.nextDouble() < switchProb);
    if (cut) {
      INDArray x = batch.inputs().array();
      Images.requireNchw(name, x);
      double a = name.equals(CUTMIX) ? adjustable.get("alpha") : cutmixAlpha;
      double lambda = BetaDistribution.sample(rng, a, a);
      int[] partner = rng.permutation(n);
      return cut(batch, box(rng, lambda, x.size(2), x.size(3)), partner, ctx.numClasses());
    }
    double[] lambda = new double[perSample ? n : 1];
    for (int i = 0; i < lambda.length; i++) {
      lambda[i] = BetaDistribution.sample(rng, adjustable.get("alpha"), adjustable.get("alpha"));
    }
    int[] partner = rng.permutation(n);
    return mix(batch, lambda, partner, ctx.numClasses());
  }

  /**
   * The batch blended with its samples in the order {@code partner}: lambda has one value for the
   * batch or one per sample.
   */
  static Batch mix(Batch batch, double[] lambda, int[] partner, int classes) {
    INDArray x = batch.inputs().array();
    DataType type = Images.floatType(x);
    INDArray y = targets(NAME, batch, classes, type);
    return new Batch(Tensor.of(blend(x.castTo(type), lambda, partner)), Tensor.of(blend(y, lambda, partner)),
        batch.indices());
  }

  /**
   * The batch with the box {top, left, height, width} of each partner's image pasted into each image,
   * the targets mixed by the area kept, lambda' = 1 - height width / (H W).
   */
  static Batch cut(Batch batch, double[] box, int[] partner, int classes) {
    INDArray x = batch.inputs().array();
    DataType type = Images.floatType(x);
    INDArray images = x.castTo(type);
    long h = images.size(2);
    long w = images.size(3);
    INDArray mask = Images.boxMask(h, w, new double[] {box[0]}, new double[] {box[1]}, new double[] {box[2]},
        new double[] {box[3]}).castTo(type).broadcast(images.shape());
    INDArray pasted = images.mul(mask.rsub(1.0)).addi(partners(images, partner).muli(mask));
    double kept = 1 - box[2] * box[3] / ((double) h * w);
    INDArray y = targets(CUTMIX, batch, classes, type);
    return new Batch(Tensor.of(pasted), Tensor.of(blend(y, new double[] {kept}, partner)), batch.indices());
  }

  /**
   * timm's {@code rand_bbox}: sides floor(H sqrt(1 - lambda)) and floor(W sqrt(1 - lambda)), a centre
   * (cy, cx) uniform over the pixels, the box [cy - h/2, cy + h/2) x [cx - w/2, cx + w/2) (halves
   * rounded down) clipped to the image; as {top, left, height, width}.
   */
  static double[] box(Rng rng, double lambda, long h, long w) {
    double ratio = Math.sqrt(1 - lambda);
    long cutH = (long) (h * ratio);
    long cutW = (long) (w * ratio);
    long cy = rng.nextInt((int) h);
    long cx = rng.nextInt((int) w);
    long top = Math.max(0, Math.min(h, cy - cutH / 2));
    long bottom = Math.max(0, Math.min(h, cy + cutH / 2));
    long left = Math.max(0, Math.min(w, cx - cutW / 2));
    long right = Math.max(0, Math.min(w, cx + cutW / 2));
    return new double[] {top, left, bottom - top, right - left};
  }

  /** Class targets as distributions [N, K], regression targets as they are, in the given type. */
  private static INDArray targets(String op, Batch batch, int classes, DataType type) {
    return classes >= 2
        ? Targets.distributions(op, batch.targets().array(), batch.size(), classes, type)
        : batch.targets().array().castTo(Images.floatType(batch.targets().array()));
  }

  /** lambda a + (1 - lambda) a[partner], lambda broadcast over every axis but the first. */
  private static INDArray blend(INDArray a, double[] lambda, int[] partner) {
    INDArray other = partners(a, partner);
    INDArray l = lambda.length == 1
        ? Nd4j.valueArrayOf(new long[] {a.size(0)}, lambda[0], a.dataType())
        : Nd4j.createFromArray(lambda).castTo(a.dataType());
    INDArray weight = Images.perSample(l, a.rank());
    return a.mul(weight).addi(other.muli(weight.rsub(1.0)));
  }

  /** a[partner] along the first axis, with one {@code gather}. */
  private static INDArray partners(INDArray a, int[] partner) {
    INDArray other = Nd4j.createUninitialized(a.dataType(), a.shape());
    Nd4j.exec(DynamicCustomOp.builder("gather")
        .addInputs(a, Nd4j.createFromArray(partner))
        .addOutputs(other)
        .addIntegerArguments(0)
        .build());
    return other;
  }

  @Override
  public String toString() {
    if (name.equals(CUTMIX)) {
      return CUTMIX + "(alpha=" + adjustable.get("alpha") + describeEpochs() + ")";
    }
    return NAME + "(alpha=" + adjustable.get("alpha") + ", per_sample=" + perSample
        + (switchProb > 0 ? ", switch_prob=" + switchProb + ", cutmix_alpha=" + cutmixAlpha : "")
        + describeEpochs() + ")";
  }

  /** Makes {@code mixup}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Mixup: blend each sample and its target with a random partner, lambda ~ Beta(alpha, alpha); with"
              + " switch_prob, CutMix instead for that share of the batches",
          AbstractAugmenter.options(
              OptionSpec.of("alpha", OptionType.DOUBLE, 0.2, "parameter of Beta(alpha, alpha), > 0").atLeast(0),
              OptionSpec.of("per_sample", OptionType.BOOLEAN, false,
                  "one lambda per sample instead of one for the batch"),
              OptionSpec.of("switch_prob", OptionType.DOUBLE, 0.0,
                  "probability per batch of CutMix instead of mixup (timm's switch_prob)").range(0, 1),
              OptionSpec.of("cutmix_alpha", OptionType.DOUBLE, 1.0,
                  "parameter of CutMix's Beta(alpha, alpha) when switched to it, > 0").atLeast(0)));
    }

    @Override
    public Augmenter create(Options options) {
      return mixup(options);
    }
  }

  /** Makes {@code cutmix}. */
  @Extension
  public static final class CutMixFactory extends AbstractComponentFactory<Augmenter> {
    public CutMixFactory() {
      super(ComponentKind.AUGMENTER, CUTMIX,
          "CutMix (Yun et al. 2019): paste a random box of a partner's NCHW image into each image and mix the"
              + " targets by area; mixup's switch_prob alternates the two per batch",
          AbstractAugmenter.options(
              OptionSpec.of("alpha", OptionType.DOUBLE, 1.0, "parameter of Beta(alpha, alpha), > 0").atLeast(0)));
    }

    @Override
    public Augmenter create(Options options) {
      return cutmix(options);
    }
  }
}
