package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.AdjustableOptions;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What adversarial training with any attack shares ({@code fgsm}, {@code pgd}): for each training
 * batch, k = round(ratio * N) of its N samples, drawn at random from the batch's seeded stream, get
 * adversarial versions made at the current weights (the gradient comes from {@link
 * Augmenter.Context#inputGradient}, in evaluation mode). Then, with option {@code concat}:
 * <ul>
 *   <li>{@code false} (default): they replace their clean versions, so the batch keeps its size and
 *       the mean loss weighs clean against adversarial as alpha = 1 - ratio;
 *   <li>{@code true}: they are appended to the clean batch, which grows to N + k rows (targets and
 *       indices follow).
 * </ul>
 * Adversarial examples keep their true labels, as in the papers (Kurakin et al. 2017 note that a model
 * can learn to exploit them at large eps, "label leaking").
 *
 * <p>Options: {@code eps} (0.1, at least 0, in the units of the inputs the model sees; see the package
 * documentation); {@code warmup_epochs} (0) and {@code eps_start} (0 if a warm-up is set): eps grows
 * linearly from eps_start at the first epoch to eps at epoch {@code warmup_epochs} (from 0, as the
 * trainer counts) and stays there, eps(e) = eps_start + (eps - eps_start) min(1, e / warmup_epochs);
 * {@code ratio} (the attack's default, in [0, 1]); {@code concat} (false); {@code clip_min} and {@code
 * clip_max} (none). Augmenters run in training only, so validation sees clean data. A subclass says
 * only how it attacks ({@link #attack}).
 */
abstract class AdversarialTraining implements Augmenter, Adjustable.WithOptions {
  private final String name;
  private final AdjustableOptions adjustable;
  private final double epsStart;
  private final int warmupEpochs;
  private final boolean concat;
  /** The valid input range the adversarial inputs are clipped to. */
  protected final double clipMin;
  protected final double clipMax;

  AdversarialTraining(String name, Options options) {
    this.name = name;
    double eps = options.getDouble("eps");
    this.adjustable = new AdjustableOptions(options, "eps", "ratio");
    this.warmupEpochs = options.getInt("warmup_epochs");
    options.check(Double.isFinite(eps), "eps must be a finite number. Received: eps=" + eps);
    options.check(!options.has("eps_start") || warmupEpochs > 0,
        "eps_start is the eps of a warm-up and needs warmup_epochs >= 1. Received: eps_start="
            + (options.has("eps_start") ? options.getDouble("eps_start") : null) + ", warmup_epochs=" + warmupEpochs);
    this.epsStart = options.has("eps_start") ? options.getDouble("eps_start") : 0;
    options.check(Double.isFinite(epsStart), "eps_start must be a finite number. Received: eps_start=" + epsStart);
    this.concat = options.getBoolean("concat");
    double[] clip = Fgsm.clipRange(options);
    this.clipMin = clip[0];
    this.clipMax = clip[1];
  }

  /** The options every adversarial training takes, {@code ratio} defaulting to {@code defaultRatio}. */
  static List<OptionSpec> options(double defaultRatio) {
    List<OptionSpec> all = new ArrayList<>();
    all.add(Fgsm.epsOption("the attack's eps after the warm-up"));
    all.add(OptionSpec.of("eps_start", OptionType.DOUBLE, null,
        "eps at the first epoch of a warm-up, growing linearly to eps; default 0 when warmup_epochs is set")
        .atLeast(0));
    all.add(OptionSpec.of("warmup_epochs", OptionType.INT, 0,
        "epochs over which eps grows linearly from eps_start to eps; 0 means eps from the start").atLeast(0));
    all.add(OptionSpec.of("ratio", OptionType.DOUBLE, defaultRatio,
        "fraction of each batch's samples that get adversarial versions").range(0, 1));
    all.add(OptionSpec.of("concat", OptionType.BOOLEAN, false,
        "false: adversarial versions replace their clean samples (the batch keeps its size); true: they are"
            + " appended to the clean batch"));
    all.addAll(Fgsm.clipOptions());
    return all;
  }

  /**
   * The eps used in an epoch (from 0): the warm-up ramp, then {@code eps} (its value now: a schedule may
   * move it, {@link Adjustable}).
   */
  public double epsAt(int epoch) {
    double eps = adjustable.get("eps");
    if (warmupEpochs == 0 || epoch >= warmupEpochs) {
      return eps;
    }
    return epsStart + (eps - epsStart) * Math.max(0, epoch) / warmupEpochs;
  }

  /** The adversarial inputs of the attacked samples at this eps (&gt; 0), a constant. */
  protected abstract Tensor attack(Batch attacked, double eps, Context ctx);

  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public Batch apply(Batch batch, Context ctx) {
    int n = (int) batch.size();
    int k = (int) Math.round(adjustable.get("ratio") * n);
    if (k == 0) {
      return batch;
    }
    int[] chosen = choose(n, k, ctx);
    Batch attacked = k == n ? batch : subset(batch, chosen);
    double e = epsAt(ctx.epoch());
    Tensor adversarial = e == 0 ? attacked.inputs() : attack(attacked, e, ctx);
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      if (concat) {
        return new Batch(Tensor.concat(0, List.of(batch.inputs(), adversarial)),
            Tensor.concat(0, List.of(batch.targets(), attacked.targets())),
            batch.indices() == null ? null : concatenate(batch.indices(), attacked.indices()));
      }
      if (k == n) {
        return batch.withInputs(adversarial);
      }
      // Row i of the result: the clean row i, or row j of the adversarial rows if i = chosen[j].
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = i;
      }
      for (int j = 0; j < k; j++) {
        rows[chosen[j]] = n + j;
      }
      return batch.withInputs(Tensor.concat(0, List.of(batch.inputs(), adversarial)).gather(0, rows));
    }
  }

  /** {@code eps} and {@code ratio} may change while training runs (a schedule of the attack's strength). */
  @Override
  public AdjustableOptions adjustable() {
    return adjustable;
  }

  /** k distinct rows of n in increasing order, drawn from the batch's stream (all rows if k = n). */
  private int[] choose(int n, int k, Context ctx) {
    if (k == n) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] chosen = Arrays.copyOf(ctx.rng().fork(name).permutation(n), k);
    Arrays.sort(chosen);
    return chosen;
  }

  @SuppressWarnings("try")
  private static Batch subset(Batch batch, int[] rows) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      int[] indices = null;
      if (batch.indices() != null) {
        indices = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
          indices[j] = batch.indices()[rows[j]];
        }
      }
      return new Batch(batch.inputs().gather(0, rows), batch.targets().gather(0, rows), indices);
    }
  }

  private static int[] concatenate(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** What a subclass's {@code toString} adds after its name: the options set. */
  protected String describe(String attack) {
    return "augmenter '" + name + "' (eps=" + adjustable.get("eps") + (warmupEpochs > 0 ? " from " + epsStart + " over "
        + warmupEpochs + " epochs" : "") + (attack.isEmpty() ? "" : ", " + attack) + ", ratio=" + adjustable.get("ratio")
        + (concat ? ", concat" : "") + ")";
  }
}
