package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Accuracy under FGSM or PGD attack. FGSM (Goodfellow et al. 2015, "Explaining and Harnessing
 * Adversarial Examples", section 4: at eps = 0.25 a shallow softmax classifier errs on 99.9 % of the
 * MNIST test set): at the end of an epoch, after validation, every validation sample x is replaced by
 * <pre>
 *   x_adv = clip(x + eps * sign(grad_x J(theta, x, y)), clip_min, clip_max)      (see {@link Fgsm})
 * </pre>
 * or, with {@code attack: 'pgd'}, by the result of projected gradient steps inside the same eps-ball
 * (Madry et al. 2018, see {@link Pgd}), the stronger attack robustness is usually reported under:
 * at the same eps a model's PGD accuracy is at most about its FGSM accuracy, and a model whose FGSM
 * accuracy is much higher than its PGD accuracy masks its gradients rather than being robust. Either
 * is taken at the epoch's final weights, and the fraction of those the model, in evaluation mode, still
 * classifies correctly (arg max of its output equal to the label) is recorded into the history as
 * {@code val_robust_accuracy}. J is the training objective ({@link TrainingControl#inputGradient}),
 * so this is a white-box attack on the loss the model is trained with.
 *
 * <p>It is a scheduler, not a metric, because a metric sees only outputs and targets and the attack
 * needs the model and the inputs. Without validation data it attacks the training set (unaugmented)
 * and records {@code robust_accuracy}, as the trainer names training metrics; compare with {@code
 * val_accuracy} / {@code accuracy} for the clean value.
 *
 * <p>Options: {@code eps} (0.1, at least 0; 0 gives the clean accuracy); {@code attack} ({@code fgsm}
 * or {@code pgd}), and for PGD {@code steps} (10), {@code step_size} (2.5 eps / steps) and {@code
 * random_start} (true; the start is drawn from a stream fixed by the metric's name and the epoch, so
 * runs repeat); {@code clip_min} and {@code clip_max} (none; see {@link Fgsm}); {@code every} (1: measure at the end of every n-th epoch,
 * counted from 1); {@code metric} ({@code robust_accuracy}: the name recorded, with {@code val_} in
 * front on validation data, so that two attacks of different sizes can be told apart); {@code
 * batch_size} (256: rows per attacked batch). Classification only: targets are class labels [N] or
 * distributions [N, K] (their arg max is the class).
 */
public final class RobustAccuracy implements Scheduler {
  public static final String NAME = "robust_accuracy";

  private final double eps;
  private final boolean pgd;
  private final Pgd.Settings settings;
  private final double clipMin;
  private final double clipMax;
  private final int every;
  private final String metric;
  private final int batchSize;

  public RobustAccuracy(Options options) {
    this.eps = options.getDouble("eps");
    options.check(Double.isFinite(eps), "eps must be a finite number. Received: eps=" + eps);
    this.pgd = options.getString("attack").equals("pgd");
    this.settings = Pgd.Settings.of(options);
    double[] clip = Fgsm.clipRange(options);
    this.clipMin = clip[0];
    this.clipMax = clip[1];
    this.every = options.getInt("every");
    this.metric = options.getString("metric");
    options.check(!metric.isBlank() && !metric.startsWith("val_"),
        "metric must be a name without the val_ prefix (it is added on validation data). Received: metric='"
            + metric + "'");
    this.batchSize = options.getInt("batch_size");
  }

  /** The name recorded for validation data ({@code val_robust_accuracy} by default). */
  public String validationMetric() {
    return "val_" + metric;
  }

  /** The name recorded when there is no validation data ({@code robust_accuracy} by default). */
  public String trainingMetric() {
    return metric;
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    if ((control.epoch() + 1) % every != 0) {
      return;
    }
    long[] counts = new long[2];
    Rng starts = new Rng(0).fork(metric).fork(control.epoch());
    int index = 0;
    for (Batch batch : control.validationBatches(batchSize)) {
      add(counts, correct(control, batch, starts.fork(index++)), batch.size());
    }
    if (counts[1] > 0) {
      control.record(validationMetric(), (double) counts[0] / counts[1]);
      return;
    }
    for (Batch batch : trainingBatches(control)) {
      add(counts, correct(control, batch, starts.fork(index++)), batch.size());
    }
    if (counts[1] > 0) {
      control.record(trainingMetric(), (double) counts[0] / counts[1]);
    }
  }

  private static void add(long[] counts, long correct, long total) {
    counts[0] += correct;
    counts[1] += total;
  }

  /** The training set in batches of {@code batch_size}, unaugmented. */
  @SuppressWarnings("try")
  private List<Batch> trainingBatches(TrainingControl control) {
    Batch all = control.trainingSample(control.trainingSize());
    List<Batch> out = new ArrayList<>();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (long start = 0; start < all.size(); start += batchSize) {
        long end = Math.min(all.size(), start + batchSize);
        out.add(new Batch(all.inputs().slice(0, start, end), all.targets().slice(0, start, end)));
      }
    }
    return out;
  }

  /** How many of the batch's adversarial examples the model classifies correctly; {@code rng} draws PGD's start. */
  @SuppressWarnings("try")
  private long correct(TrainingControl control, Batch batch, Rng rng) {
    Tensor adversarial;
    if (eps == 0) {
      adversarial = batch.inputs();
    } else if (pgd) {
      adversarial = Tensor.of(Pgd.perturb(batch.inputs().array(),
          x -> control.inputGradient(batch.withInputs(Tensor.of(x))).array(), eps, settings.stepSizeAt(eps),
          settings.steps(), settings.randomStart(), rng, clipMin, clipMax));
    } else {
      adversarial = Fgsm.perturb(batch.inputs(), control.inputGradient(batch), eps, clipMin, clipMax);
    }
    Layer model = control.model();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray output = model.forward(adversarial, ForwardContext.evaluation()).array();
      return countCorrect(output, batch.targets().array());
    }
  }

  /** Rows whose arg max equals the label (targets [N]) or the target's arg max (targets [N, K]). */
  static long countCorrect(INDArray output, INDArray targets) {
    long n = output.size(0);
    if (output.rank() != 2) {
      throw new IllegalArgumentException(NAME + " needs class scores [N, K] from the model; got "
          + java.util.Arrays.toString(output.shape()));
    }
    INDArray predicted = output.argMax(1).castTo(DataType.DOUBLE).reshape(n);
    INDArray truth = (targets.rank() == 2 && targets.size(1) > 1 ? targets.argMax(1) : targets)
        .castTo(DataType.DOUBLE).reshape(n);
    return predicted.eq(truth).castTo(DataType.INT32).sumNumber().longValue();
  }

  @Override
  public String toString() {
    return "scheduler '" + NAME + "' (eps=" + eps + (pgd ? ", attack=pgd, " + settings.describe() : "")
        + ", records " + validationMetric() + ")";
  }

  /** Makes {@code robust_accuracy}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Scheduler> {
    public Factory() {
      super(ComponentKind.SCHEDULER, NAME,
          "Accuracy under FGSM or PGD attack at the end of each epoch, on the validation data: val_robust_accuracy"
              + " (robust_accuracy on the training data if there is no validation data)",
          optionSpecs());
    }

    private static List<OptionSpec> optionSpecs() {
      List<OptionSpec> all = new ArrayList<>();
      all.add(Fgsm.epsOption("the attack's eps"));
      all.add(OptionSpec.of("attack", OptionType.STRING, "fgsm",
          "fgsm: one signed gradient step; pgd: projected gradient steps (Madry et al. 2018)").oneOf("fgsm", "pgd"));
      all.addAll(Pgd.options());
      all.addAll(Fgsm.clipOptions());
      all.add(OptionSpec.of("every", OptionType.INT, 1,
          "measure at the end of every n-th epoch, counted from 1").atLeast(1));
      all.add(OptionSpec.of("metric", OptionType.STRING, NAME,
          "the name recorded into the history, with val_ in front on validation data"));
      all.add(OptionSpec.of("batch_size", OptionType.INT, 256, "rows per attacked batch").atLeast(1));
      return all;
    }

    @Override
    public Scheduler create(Options options) {
      return new RobustAccuracy(options);
    }
  }
}
