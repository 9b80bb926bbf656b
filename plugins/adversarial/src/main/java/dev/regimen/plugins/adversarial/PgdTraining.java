package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * PGD adversarial training (Madry, Makelov, Schmidt, Tsipras and Vladu 2018, "Towards Deep Learning
 * Models Resistant to Adversarial Attacks", ICLR), the saddle-point problem
 * <pre>
 *   min_theta E_(x, y) [ max_(||delta||_inf &lt;= eps) J(theta, x + delta, y) ]
 * </pre>
 * whose inner maximum is approximated by the {@link Pgd} attack at the current weights, and the
 * outer minimum by training on its examples: with the default {@code ratio} 1 every sample of the
 * batch is replaced by its PGD example, as in the paper; a smaller ratio mixes clean and adversarial
 * samples as {@code fgsm} does ({@link AdversarialTraining}). Each step of the attack costs one
 * forward and backward pass, so a batch costs about steps + 1 times a clean one. The random start is
 * drawn from the batch's seeded stream, so runs repeat.
 *
 * <p>Options: {@code eps} (0.1), {@code steps} (10), {@code step_size} (2.5 eps / steps), {@code
 * random_start} (true), {@code eps_start} and {@code warmup_epochs} (a linear warm-up of eps),
 * {@code ratio} (1), {@code concat} (false), {@code clip_min} and {@code clip_max} (none).
 */
public final class PgdTraining extends AdversarialTraining {
  public static final String NAME = "pgd";

  private final Pgd.Settings settings;

  public PgdTraining(Options options) {
    super(NAME, options);
    this.settings = Pgd.Settings.of(options);
  }

  @Override
  protected Tensor attack(Batch attacked, double eps, Context ctx) {
    return Tensor.of(Pgd.perturb(attacked.inputs().array(),
        x -> ctx.inputGradient(attacked.withInputs(Tensor.of(x))).array(), eps, settings.stepSizeAt(eps),
        settings.steps(), settings.randomStart(), ctx.rng().fork(NAME + ":start"), clipMin, clipMax));
  }

  @Override
  public String toString() {
    return describe(settings.describe());
  }

  /** Makes {@code pgd}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "PGD adversarial training (Madry et al. 2018): each batch is replaced by (or joined with) the examples"
              + " of projected gradient steps inside the eps-ball",
          optionSpecs());
    }

    private static List<OptionSpec> optionSpecs() {
      List<OptionSpec> all = new ArrayList<>(AdversarialTraining.options(1.0));
      all.addAll(1, Pgd.options());
      return all;
    }

    @Override
    public Augmenter create(Options options) {
      return new PgdTraining(options);
    }
  }
}
