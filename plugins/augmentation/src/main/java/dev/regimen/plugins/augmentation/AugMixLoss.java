package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.loss.Losses;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import java.util.Arrays;
import java.util.List;
import org.pf4j.Extension;

/**
 * AugMix's objective {@code augmix.jsd} (Hendrycks et al. 2020, section 3, "Jensen-Shannon
 * Divergence Consistency Loss"; timm's {@code JsdCrossEntropy}), for the batches [x; x_aug1; x_aug2] that the {@code augmix}
 * augmenter makes with {@code jsd}: with p_c, p_1, p_2 the softmax predictions of the three thirds,
 *
 * <pre>
 *   L = CE(p_c, y) + lambda JS(p_c; p_1; p_2),
 *   JS = (KL(p_c || M) + KL(p_1 || M) + KL(p_2 || M)) / 3,   M = (p_c + p_1 + p_2) / 3
 * </pre>
 *
 * <p>averaged over the N samples, so the model is pushed to give the same answer for an image and its
 * augmentations; the JS divergence is bounded, where a KL would not be. log M is clamped to
 * [log 1e-7, 0] as in the reference code. Outside training (validation, evaluation), where the batches
 * are plain, it is the cross-entropy of the whole output. Targets are class labels [3N] or
 * distributions [3N, K]; the clean third's are used. The model's output must be logits [3N, K].
 *
 * <p>Option {@code lambda} (12, the paper's; at least 0; 0 is the cross-entropy of the clean images
 * alone).
 */
public final class AugMixLoss implements Objective {
  public static final String NAME = "augmix.jsd";

  private final double lambda;

  public AugMixLoss(Options options) {
    this.lambda = options.getDouble("lambda");
  }

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    if (!ctx.training()) {
      return Losses.softmaxCrossEntropy(output, target);
    }
    long rows = output.size(0);
    if (output.rank() != 2 || rows % 3 != 0) {
      throw new IllegalArgumentException(NAME + ": the training output must be logits [3N, K] of the batches"
          + " [clean; aug1; aug2] that augmenter 'augmix' makes with jsd: true; got shape "
          + Arrays.toString(output.shape()) + ". Add rg.augmenter('augmix', {jsd: true}) last among the augmenters.");
    }
    long n = rows / 3;
    Tensor clean = output.slice(0, 0, n);
    Tensor loss = Losses.softmaxCrossEntropy(clean, target.slice(0, 0, n));
    if (lambda == 0) {
      return loss;
    }
    Tensor[] logP = new Tensor[3];
    Tensor mixture = null;
    for (int v = 0; v < 3; v++) {
      logP[v] = output.slice(0, v * n, (v + 1) * n).logSoftmax(1);
      Tensor p = logP[v].exp();
      mixture = mixture == null ? p : mixture.add(p);
    }
    Tensor logM = mixture.div(3).clamp(1e-7, 1).log();
    Tensor divergence = null;
    for (Tensor lp : logP) {
      Tensor kl = lp.exp().mul(lp.sub(logM)).sum(false, 1).mean();
      divergence = divergence == null ? kl : divergence.add(kl);
    }
    return loss.add(divergence.mul(lambda / 3));
  }

  @Override
  public String toString() {
    return NAME + "(lambda=" + lambda + ")";
  }

  /** Makes {@code augmix.jsd}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME,
          "AugMix's loss (Hendrycks et al. 2020): cross-entropy of the clean third plus lambda times the Jensen-Shannon"
              + " divergence of the predictions on [clean; aug1; aug2] (augmenter 'augmix' with jsd: true)",
          List.of(OptionSpec.of("lambda", OptionType.DOUBLE, 12.0, "weight of the Jensen-Shannon consistency term")
              .atLeast(0)));
    }

    @Override
    public Objective create(Options options) {
      return new AugMixLoss(options);
    }
  }
}
