package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import org.pf4j.Extension;

/**
 * FGSM adversarial training (Goodfellow, Shlens and Szegedy 2015, "Explaining and Harnessing
 * Adversarial Examples", ICLR, section 5), which trains on
 * <pre>
 *   J~(theta, x, y) = alpha J(theta, x, y) + (1 - alpha) J(theta, x_adv, y),   alpha = 0.5 in the paper,
 *   x_adv = clip(x + eps * sign(grad_x J(theta, x, y)), clip_min, clip_max)       (see {@link Fgsm})
 * </pre>
 * Of each batch a {@code ratio} share gets FGSM versions ({@link AdversarialTraining}). With {@code
 * concat} false (default) they replace their clean versions: the default ratio 0.5 is the paper's
 * alpha = 0.5 in expectation at no extra forward cost (Kurakin, Goodfellow and Bengio 2017,
 * "Adversarial Machine Learning at Scale", replace half of each batch in the same way); with {@code
 * concat} true and ratio 1 the mean loss is exactly the paper's objective with alpha = 0.5, on the
 * same samples.
 *
 * <p>Options: {@code eps} (0.1), {@code eps_start} and {@code warmup_epochs} (a linear warm-up of eps),
 * {@code ratio} (0.5), {@code concat} (false), {@code clip_min} and {@code clip_max} (none); see
 * {@link AdversarialTraining}.
 */
public final class FgsmTraining extends AdversarialTraining {
  public static final String NAME = "fgsm";

  public FgsmTraining(Options options) {
    super(NAME, options);
  }

  @Override
  protected Tensor attack(Batch attacked, double eps, Context ctx) {
    return Fgsm.perturb(attacked.inputs(), ctx.inputGradient(attacked), eps, clipMin, clipMax);
  }

  @Override
  public String toString() {
    return describe("");
  }

  /** Makes {@code fgsm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "FGSM adversarial training (Goodfellow et al. 2015): a fraction of each batch is replaced by (or"
              + " joined with) x + eps * sign(grad_x loss)",
          AdversarialTraining.options(0.5));
    }

    @Override
    public Augmenter create(Options options) {
      return new FgsmTraining(options);
    }
  }
}
