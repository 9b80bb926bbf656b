package dev.regimen.core.train;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Samples;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingSetup;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.distributed.DistributedTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@link Trainer#fit} needs besides the model and the data, made with {@link #builder()}.
 *
 * @param accumulate micro-batches per optimizer update (gradient accumulation): an update sums the
 *     gradients of {@code accumulate} consecutive batches of {@code batchSize}, weighted by their sample
 *     counts, and steps once, as one batch {@code accumulate} times as large would; 1 for none
 * @param onNonFinite what a step whose loss or gradient is not finite (NaN or infinite) does: stop the
 *     training with an error that names where it began (the default), or skip the batch
 * @param parameterGroups learning rates and weight decays per parameter ({@link ParameterGroups#NONE}
 *     for the optimizer's own)
 * @param frozen names of layers whose parameters get no update and no regularization
 * @param checkpointDir where {@code last/} and {@code best/} checkpoints go, or {@code null} for none
 * @param checkpointPolicy which checkpoints besides {@code last/} are written and kept ({@link
 *     CheckpointPolicy#DEFAULT}: {@code best/}, and {@code error/} on a failure)
 * @param resumeFrom a checkpoint folder to continue from, or {@code null}
 * @param monitor the metric that decides the {@code best/} checkpoint ({@code val_loss} when there is
 *     validation data, {@code loss} otherwise, unless set)
 * @param outputDir where components write files of their own ({@link
 *     dev.regimen.api.train.TrainingControl#outputDir()}), or {@code null} for none
 * @param normalizer the fitted input normalizer, saved with checkpoints so a restored model sees its
 *     inputs as in training; the trainer does not apply it (the data given to fit is already normalized)
 * @param distributed data-parallel training on a distributed engine, or {@code null} to train in this process
 *     (see {@link dev.regimen.core.distributed})
 */
public record TrainerConfig(
    Objective objective,
    Optimizer optimizer,
    int epochs,
    int batchSize,
    int accumulate,
    NonFinite onNonFinite,
    long seed,
    List<Regularizer> regularizers,
    List<Augmenter> augmenters,
    List<Scheduler> schedulers,
    List<Metric> metrics,
    ParameterGroups parameterGroups,
    Set<String> frozen,
    boolean progress,
    Path checkpointDir,
    CheckpointPolicy checkpointPolicy,
    Path resumeFrom,
    String monitor,
    Path outputDir,
    Normalizer normalizer,
    DistributedTraining distributed) {

  /**
   * The NaN guard's choice when a step's loss or gradient is not finite. Either way the step makes no
   * update, and the error or the warning names the first layer whose output, or the first parameter
   * whose gradient, went non-finite; checkpoints are written from finite weights only, so the last
   * good one is kept.
   */
  public enum NonFinite {
    /** Stop training with a {@link TrainingException}. */
    STOP,
    /** Pass over the batch and go on; the epoch's {@value Trainer#SKIPPED_BATCHES} counts them. */
    SKIP;

    /** Parses {@code stop} or {@code skip}, case-insensitively; the error echoes anything else. */
    public static NonFinite parse(String value) {
      for (NonFinite n : values()) {
        if (n.name().equalsIgnoreCase(value)) {
          return n;
        }
      }
      throw new IllegalArgumentException("on_non_finite must be stop or skip. Received: on_non_finite='" + value + "'");
    }
  }

  public TrainerConfig {
    Objects.requireNonNull(onNonFinite, "onNonFinite");
    Objects.requireNonNull(objective, "A trainer needs an objective (a loss)");
    Objects.requireNonNull(optimizer, "A trainer needs an optimizer");
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1. Received: epochs=" + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be at least 1. Received: batch_size=" + batchSize);
    }
    if (accumulate < 1) {
      throw new IllegalArgumentException("accumulate must be at least 1. Received: accumulate=" + accumulate);
    }
    if (distributed != null && accumulate != 1) {
      throw new IllegalArgumentException("accumulate cannot be combined with distributed training (each step's"
          + " gradient is already summed over the workers' shards; give a larger batch_size instead). Received:"
          + " accumulate=" + accumulate);
    }
    regularizers = List.copyOf(regularizers);
    augmenters = List.copyOf(augmenters);
    schedulers = List.copyOf(schedulers);
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(parameterGroups, "parameterGroups");
    Objects.requireNonNull(checkpointPolicy, "checkpointPolicy");
    frozen = Set.copyOf(frozen);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects the options; only the objective and the optimizer are required. It is the API's {@link
   * TrainingSetup}, so a plugin given a builder (FitNets' stages) trains with it through {@link #fit}
   * without naming this class.
   */
  public static final class Builder implements TrainingSetup {
    private Objective objective;
    private Optimizer optimizer;
    private int epochs = 10;
    private int batchSize = 32;
    private int accumulate = 1;
    private NonFinite onNonFinite = NonFinite.STOP;
    private long seed = 42;
    private final List<Regularizer> regularizers = new ArrayList<>();
    private final List<Augmenter> augmenters = new ArrayList<>();
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private final Set<String> frozen = new LinkedHashSet<>();
    private ParameterGroups parameterGroups = ParameterGroups.NONE;
    private boolean progress = true;
    private Path checkpointDir;
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.DEFAULT;
    private Path resumeFrom;
    private String monitor;
    private Path outputDir;
    private Normalizer normalizer;
    private DistributedTraining distributed;

    @Override
    public Builder objective(Objective o) {
      this.objective = o;
      return this;
    }

    @Override
    public Builder optimizer(Optimizer o) {
      this.optimizer = o;
      return this;
    }

    @Override
    public Builder epochs(int n) {
      this.epochs = n;
      return this;
    }

    @Override
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Sums the gradients of this many consecutive batches into each optimizer update (1: none). */
    public Builder accumulate(int microBatches) {
      this.accumulate = microBatches;
      return this;
    }

    /** What a step whose loss or gradient is not finite does: stop (the default) or skip the batch. */
    public Builder onNonFinite(NonFinite choice) {
      this.onNonFinite = choice;
      return this;
    }

    @Override
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    @Override
    public Builder regularizer(Regularizer r) {
      regularizers.add(r);
      return this;
    }

    @Override
    public Builder augmenter(Augmenter a) {
      augmenters.add(a);
      return this;
    }

    @Override
    public Builder scheduler(Scheduler s) {
      schedulers.add(s);
      return this;
    }

    @Override
    public Builder metric(Metric m) {
      metrics.add(m);
      return this;
    }

    /** Learning rates and weight decays per parameter: groups, layer-wise decay, decay of biases. */
    public Builder parameterGroups(ParameterGroups groups) {
      this.parameterGroups = groups;
      return this;
    }

    /** Freezes the named layers: no update, no regularization. */
    @Override
    public Builder freeze(String... layerNames) {
      frozen.addAll(List.of(layerNames));
      return this;
    }

    /**
     * Unfreezes the named layers, removing them from the frozen set: the next {@link #build()} trains
     * them again (gradual unfreezing, as in Howard and Ruder 2018, "ULMFiT"). A name that is not
     * frozen is ignored, so a schedule may unfreeze the same layer twice.
     */
    @Override
    public Builder unfreeze(String... layerNames) {
      List.of(layerNames).forEach(frozen::remove);
      return this;
    }

    /** Shows a console progress bar when the output is a terminal (the default). */
    @Override
    public Builder progress(boolean on) {
      this.progress = on;
      return this;
    }

    public Builder checkpointDir(Path dir) {
      this.checkpointDir = dir;
      return this;
    }

    /** Which checkpoints besides last/ are written and kept: best k, periodic, on an error. */
    public Builder checkpointPolicy(CheckpointPolicy policy) {
      this.checkpointPolicy = policy;
      return this;
    }

    public Builder resumeFrom(Path checkpoint) {
      this.resumeFrom = checkpoint;
      return this;
    }

    public Builder monitor(String metric) {
      this.monitor = metric;
      return this;
    }

    /** The folder for components' own files (an LR range test's plot); none by default. */
    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    public Builder normalizer(Normalizer fitted) {
      this.normalizer = fitted;
      return this;
    }

    /** Trains data-parallel on a distributed engine; {@code null} (the default) trains in this process. */
    public Builder distributed(DistributedTraining training) {
      this.distributed = training;
      return this;
    }

    public TrainerConfig build() {
      return new TrainerConfig(objective, optimizer, epochs, batchSize, accumulate, onNonFinite, seed, regularizers, augmenters, schedulers,
          metrics, parameterGroups, frozen, progress, checkpointDir, checkpointPolicy, resumeFrom, monitor, outputDir, normalizer,
          distributed);
    }

    /** {@code new Trainer(build()).fit(model, train, validation)}; the data must be {@link Dataset}s. */
    @Override
    public TrainingResult fit(Layer model, Samples train, Samples validation) {
      return new Trainer(build()).fit(model, dataset(train, "training"), validation == null ? null
          : dataset(validation, "validation"));
    }

    private static Dataset dataset(Samples samples, String role) {
      if (samples instanceof Dataset d) {
        return d;
      }
      throw new IllegalArgumentException("The trainer takes its " + role + " data as a " + Dataset.class.getName()
          + " (from the data loaders or rg.data); got " + (samples == null ? "null" : samples.getClass().getName()));
    }
  }
}
