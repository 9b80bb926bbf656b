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
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Mixup (Zhang, Cisse, Dauphin and Lopez-Paz 2018, "mixup: Beyond Empirical Risk Minimization",
 * ICLR): each sample is blended with another sample of the same batch,
 *
 * <pre>  x_i' = lambda x_i + (1 - lambda) x_j,   y_i' = lambda y_i + (1 - lambda) y_j,   lambda ~ Beta(alpha, alpha)</pre>
 *
 * with j = pi(i) for a random permutation pi of the batch, as in the paper's reference code. Class
 * labels become one-hot rows first, so the targets come out as distributions [N, K] for a loss that
 * accepts them ({@code softmax_cross_entropy}); regression targets are mixed as they are. Small
 * alpha keeps lambda near 0 or 1 (mostly one image, a little of another); alpha = 1 makes it
 * uniform. Beta draws are X / (X + Y) of two Gamma draws ({@link BetaDistribution}).
 *
 * <p>Options: {@code alpha} (default 0.2, the paper's ImageNet value; &gt; 0) and {@code per_sample}
 * (default false): one lambda for the whole batch as in the paper, or one per sample. Inputs of any
 * shape are accepted. The permutation is applied with one {@code gather} and the blend is one
 * broadcast of lambda.
 */
public final class Mixup implements Augmenter, Adjustable {
  public static final String NAME = "mixup";

  private final AdjustableOptions adjustable;
  private final boolean perSample;

  public Mixup(Options options) {
    double alpha = options.getDouble("alpha");
    this.adjustable = new AdjustableOptions(options, "alpha");
    this.perSample = options.getBoolean("per_sample");
    checkAlpha(options, alpha);
  }

  private static void checkAlpha(Options options, double alpha) {
    options.check(alpha > 0, "alpha must be > 0 (the Beta distribution's parameter). Received: alpha=" + alpha);
  }

  /** {@code alpha} may change while training runs (a schedule of the mixing strength). */
  @Override
  public Set<String> adjustableOptions() {
    return adjustable.names();
  }

  @Override
  public double option(String name) {
    return adjustable.get(name);
  }

  @Override
  public void adjust(String name, double value) {
    checkAlpha(adjustable.options(), value);
    adjustable.set(name, value);
  }

  @Override
  public Batch apply(Batch batch, Context ctx) {
    int n = (int) batch.size();
    Rng rng = Images.stream(ctx, NAME);
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
    INDArray y = classes >= 2
        ? Targets.distributions(NAME, batch.targets().array(), batch.size(), classes, type)
        : batch.targets().array().castTo(Images.floatType(batch.targets().array()));
    return new Batch(Tensor.of(blend(x.castTo(type), lambda, partner)), Tensor.of(blend(y, lambda, partner)),
        batch.indices());
  }

  /** lambda a + (1 - lambda) a[partner], lambda broadcast over every axis but the first. */
  private static INDArray blend(INDArray a, double[] lambda, int[] partner) {
    INDArray other = Nd4j.createUninitialized(a.dataType(), a.shape());
    Nd4j.exec(DynamicCustomOp.builder("gather")
        .addInputs(a, Nd4j.createFromArray(partner))
        .addOutputs(other)
        .addIntegerArguments(0)
        .build());
    INDArray l = lambda.length == 1
        ? Nd4j.valueArrayOf(new long[] {a.size(0)}, lambda[0], a.dataType())
        : Nd4j.createFromArray(lambda).castTo(a.dataType());
    INDArray weight = Images.perSample(l, a.rank());
    return a.mul(weight).addi(other.muli(weight.rsub(1.0)));
  }

  @Override
  public String toString() {
    return NAME + "(alpha=" + adjustable.get("alpha") + ", per_sample=" + perSample + ")";
  }

  /** Makes {@code mixup}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Mixup: blend each sample and its target with a random partner, lambda ~ Beta(alpha, alpha)",
          List.of(
              OptionSpec.of("alpha", OptionType.DOUBLE, 0.2, "parameter of Beta(alpha, alpha), > 0").atLeast(0),
              OptionSpec.of("per_sample", OptionType.BOOLEAN, false,
                  "one lambda per sample instead of one for the batch")));
    }

    @Override
    public Augmenter create(Options options) {
      return new Mixup(options);
    }
  }
}
