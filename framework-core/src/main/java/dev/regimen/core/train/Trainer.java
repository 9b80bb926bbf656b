package dev.regimen.core.train;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.AbstractTrainingControl;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.data.BatchIterator;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.BatchIterator;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.schedule.MetricDirection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training loop. For each epoch: scheduler events; for each batch: augmenters, forward in
 * training mode, the objective plus every regularizer's penalty, {@code backward}, regularizer hooks
 * around the optimizer step, the step, metrics; then validation in evaluation mode and a history of
 * every metric.
 *
 * <p>With gradient accumulation ({@link TrainerConfig#accumulate()} k &gt; 1) a batch, as schedulers
 * and checkpoints count them, is one optimizer update over k consecutive micro-batches of {@code
 * batchSize}: their gradients are summed, each loss weighted by its share of the samples, and the
 * regularizers' step hooks and the optimizer run once, so the optimizer's step count and decoupled
 * weight decay advance once per update, as with one batch k times as large.
 *
 * <p>Randomness is derived, not carried: the shuffle order of epoch e comes from
 * {@code seed -> "shuffle" -> e}, and the random stream of batch b of epoch e from
 * {@code seed -> "batch" -> e -> b}. A run resumed at any batch boundary therefore sees exactly the
 * numbers an uninterrupted run would have seen.
 *
 * <p>The NaN guard: a step whose loss or gradient is not finite makes no update. By default it stops
 * training with a {@link TrainingException} naming the epoch, the batch, the last finite loss and
 * where the values went non-finite (the batch's inputs, the first layer whose output did, or the
 * first parameter in backward order whose gradient did; {@code NonFiniteSearch}); schedulers still
 * get {@code onTrainEnd} (so early stopping restores the best weights), and the checkpoints keep the
 * last good weights. With {@link TrainerConfig.NonFinite#SKIP} the batch is passed over with a
 * warning and counted in the epoch's {@value #SKIPPED_BATCHES}.
 */
public final class Trainer {
  private static final Logger LOG = LogManager.getLogger(Trainer.class);

  /** The checkpoint written after every epoch (and on interrupt), under the checkpoint folder. */
  public static final String LAST = "last";

  /** The checkpoint of the epoch with the best monitored metric, under the checkpoint folder. */
  public static final String BEST = "best";

  /** The folder of the k best epochs' checkpoints ({@code top/epoch-<n>}) with {@code keep_best} k &gt; 1. */
  public static final String TOP = "top";

  /** The folder of the periodic checkpoints ({@code periodic/step-<n>}). */
  public static final String PERIODIC = "periodic";

  /** The checkpoint written when training fails; its state's {@code extra} holds the error under this key. */
  public static final String ERROR = "error";

  /**
   * The key in a checkpoint's {@code extra} state of why its training stopped before its last epoch
   * (early stopping, a callback); a run resumed from such a checkpoint trains no further.
   */
  static final String STOP_REASON = "stop_reason";

  /**
   * The key in a checkpoint's {@code extra} state of the micro-batches per update: the position in the
   * epoch counts updates, so a run resumed mid-epoch must accumulate as many.
   */
  static final String ACCUMULATE = "accumulate";

  /**
   * The metric of the batches an epoch skipped for a non-finite loss or gradient (recorded with {@code
   * on_non_finite: skip}); also the key of the count so far in a mid-epoch checkpoint's {@code extra}.
   */
  public static final String SKIPPED_BATCHES = "skipped_batches";

  /** The key in a mid-epoch checkpoint's {@code extra} state of the metrics' states, in metric order. */
  static final String METRICS = "metrics";

  /**
   * The key in a checkpoint's {@code extra} state of the per-sample input shape the model was trained on
   * (a list of numbers, {@code [64]} or {@code [1, 28, 28]}): what an export needs to build the model
   * again without the data.
   */
  public static final String INPUT_SHAPE = "input_shape";

  private final TrainerConfig config;
  private volatile boolean interruptRequested;

  public Trainer(TrainerConfig config) {
    this.config = config;
  }

  public TrainerConfig config() {
    return config;
  }

  /** Asks a running {@link #fit} to stop at the next batch boundary (Ctrl-C); safe from any thread. */
  public void interrupt() {
    interruptRequested = true;
  }

  /** Trains {@code model} on {@code train}, validating on {@code validation} (may be {@code null}) after each epoch. */
  public TrainingResult fit(Layer model, Dataset train, Dataset validation) {
    Rng root = new Rng(config.seed());
    Layers.assignNames(model);
    if (!model.isBuilt()) {
      model.build(train.sampleShape(), root.fork("init"));
    }
    checkFrozenNames(model);
    Run run = new Run(model, train, validation, root);
    return run.execute();
  }

  private void checkFrozenNames(Layer model) {
    for (String name : config.frozen()) {
      if (Layers.find(model, name) == null) {
        List<String> names = Layers.all(model).stream().map(Layer::name).toList();
        throw new IllegalArgumentException("Cannot freeze layer '" + name + "': the model has no such layer. Layers: "
            + String.join(", ", names));
      }
    }
  }

  /**
   * The trainable, not frozen parameters of the model and of the objective. Freezing a container
   * freezes every layer inside it.
   */
  static List<Parameter> trainableParameters(Layer model, TrainerConfig config) {
    return trainableParameters(model, config.objective(), config.frozen());
  }

  /**
   * The parameters a training updates: the model's, but for those of the {@code frozen} layers (and of every
   * layer inside a frozen container), then the objective's as {@code objective.<name>}.
   */
  public static List<Parameter> trainableParameters(Layer model, Objective objective, java.util.Set<String> frozen) {
    java.util.Set<String> frozenLayers = new java.util.HashSet<>();
    for (String name : frozen) {
      Layer layer = Layers.find(model, name);
      if (layer != null) {
        Layers.all(layer).forEach(l -> frozenLayers.add(l.name()));
      }
    }
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : Layers.parameters(model)) {
      String layer = p.name().substring(0, p.name().lastIndexOf('.'));
      if (!frozenLayers.contains(layer)) {
        out.add(p);
      }
    }
    objective.parameters().forEach((name, t) -> out.add(new Parameter("objective." + name, t, true)));
    return out;
  }

  /**
   * What the passes of one training batch give.
   *
   * @param loss the loss's value: the objective plus every regularizer's penalty
   * @param output the model's output
   */
  public record Computed(double loss, Tensor output) {}

  /**
   * A training batch's forward pass in {@code ctx} (recording taps when the objective reads any), the objective
   * plus every regularizer's penalty, and, when that loss is finite, its backward pass into the parameters'
   * gradients (zeroed first): what each training step computes before the optimizer, in one process or on a
   * distributed worker.
   */
  public static Computed forwardBackward(Layer model, Objective objective, List<Regularizer> regularizers,
      List<Parameter> parameters, Batch data, ForwardContext ctx, int epoch) {
    ForwardContext context = objective.requiredTaps().isEmpty() ? ctx : ctx.recordingTaps();
    Tensor output = model.forward(data.inputs(), context);
    Tensor loss = objective.loss(output, data.targets(), objectiveContext(data, context.taps(), true, epoch));
    for (Regularizer r : regularizers) {
      Tensor penalty = r.penalty(parameters);
      if (penalty != null) {
        loss = loss.add(penalty);
      }
    }
    double value = loss.item();
    if (Double.isFinite(value)) {
      for (Parameter p : parameters) {
        p.value().zeroGrad();
      }
      loss.backward();
    }
    return new Computed(value, output);
  }

  private static ObjectiveContext objectiveContext(Batch b, Map<String, Tensor> taps, boolean training, int e) {
    return new ObjectiveContext() {
      @Override
      public Batch batch() {
        return b;
      }

      @Override
      public Map<String, Tensor> taps() {
        return taps;
      }

      @Override
      public boolean training() {
        return training;
      }

      @Override
      public int epoch() {
        return e;
      }
    };
  }

  /** The state of one call to fit. */
  private final class Run extends AbstractTrainingControl {
    private final Layer model;
    private final Dataset train;
    private final Dataset validation;
    private final Rng root;
    private final List<Parameter> parameters;
    private final int numClasses;
    private int[] epochSamples;
    private int startBatch;
    /** Batches of this epoch skipped for a non-finite loss or gradient, and those a resumed epoch had skipped. */
    private int skippedBatches;
    private int carriedSkipped;
    private double carriedLossSum;
    private long carriedSeen;
    private List<?> carriedMetrics;
    /** The epoch whose weights the model holds (see {@link TrainingControl#weightsEpoch()}). */
    private int weightsEpoch = -1;
    private final String monitor;
    private final MetricDirection monitorDirection;
    private double monitorBest = Double.NaN;
    /** The best epochs kept under top/, best first: {completed epochs, monitored value}. */
    private final List<double[]> topEpochs = new ArrayList<>();
    /** When the last periodic checkpoint was written (System.nanoTime), or training started. */
    private long lastPeriodic;
    /** The running loss sum and sample count of the epoch, for a checkpoint written on a failure. */
    private double epochLossSum;
    private long epochSeen;
    /** The driver's side of a distributed training, while one runs. */
    private DistributedRun distributed;

    Run(Layer model, Dataset train, Dataset validation, Rng root) {
      this.model = model;
      this.train = train;
      this.validation = validation;
      this.root = root;
      this.parameters = trainableParameters(model, config);
      if (!config.parameterGroups().isNone()) {
        config.optimizer().setParameterOptions(config.parameterGroups().resolve(parameters));
      }
      this.numClasses = train.numClasses();
      this.monitor = config.monitor() != null ? config.monitor() : validation != null ? "val_loss" : "loss";
      this.monitorDirection = MetricDirection.resolve("auto", monitor, "the checkpoint monitor");
    }

    /** Continues from a checkpoint: weights, optimizer, schedules, history and the position in the data. */
    private int resume() {
      Checkpoint checkpoint = CheckpointStore.load(config.resumeFrom());
      CheckpointState state = checkpoint.state();
      if (state.seed() != config.seed()) {
        throw new IllegalArgumentException("The checkpoint in " + config.resumeFrom() + " was trained with seed "
            + state.seed() + ", not " + config.seed() + "; resume with the same seed to continue the same run");
      }
      TrainingCheckpoints.restoreModel(model, checkpoint.modelArrays(), null);
      TrainingCheckpoints.restoreTraining(checkpoint, config, history());
      startBatch = (int) state.batchInEpoch();
      int savedAccumulate = ((Number) state.extra().getOrDefault(ACCUMULATE, 1)).intValue();
      if (startBatch > 0 && savedAccumulate != config.accumulate()) {
        throw new IllegalArgumentException("The checkpoint in " + config.resumeFrom() + " was saved in the middle of an"
            + " epoch with accumulate=" + savedAccumulate + ", not " + config.accumulate() + "; resume with the same"
            + " accumulate to continue at the same sample");
      }
      carriedLossSum = ((Number) state.extra().getOrDefault("loss_sum", 0.0)).doubleValue();
      carriedSeen = ((Number) state.extra().getOrDefault("seen", 0)).longValue();
      carriedSkipped = ((Number) state.extra().getOrDefault(SKIPPED_BATCHES, 0)).intValue();
      carriedMetrics = state.extra().get(METRICS) instanceof List<?> saved ? saved : null;
      Object best = state.extra().get("monitor_best");
      monitorBest = best instanceof Number n ? n.doubleValue() : Double.NaN;
      if (state.extra().get(TOP) instanceof List<?> kept) {
        for (Object entry : kept) {
          List<?> pair = (List<?>) entry;
          topEpochs.add(new double[] {((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue()});
        }
      }
      weightsEpoch = state.epoch() - 1;
      if (state.extra().get(STOP_REASON) instanceof String reason) {
        // A training that was stopped (early stopping, a callback) resumes as stopped: no epoch runs.
        stopBecause(reason);
        LOG.info("Resuming from {}: its training had stopped after epoch {} ({})", config.resumeFrom(),
            state.epoch(), reason);
      } else {
        LOG.info("Resuming from {} at epoch {}, batch {}", config.resumeFrom(), state.epoch() + 1, startBatch + 1);
      }
      return state.epoch();
    }

    /**
     * Writes last/ under the checkpoint folder, and at the end of an epoch best/ (and top/, with
     * keep_best above 1) when the monitored metric qualifies; see {@link CheckpointPolicy}.
     */
    private void saveCheckpoint(int completedEpochs, long batchInEpoch, double lossSum, long seen) {
      if (config.checkpointDir() == null) {
        return;
      }
      boolean improved = false;
      boolean top = false;
      double value = Double.NaN;
      if (batchInEpoch == 0 && completedEpochs > 0) {
        OptionalDouble last = history().last(monitor);
        if (last.isPresent()) {
          value = last.getAsDouble();
          if (monitorDirection.improves(value, monitorBest, 0)) {
            monitorBest = value;
            improved = true;
          }
          top = config.checkpointPolicy().keepBest() > 1 && !Double.isNaN(value)
              && (topEpochs.size() < config.checkpointPolicy().keepBest()
                  || monitorDirection.improves(value, topEpochs.get(topEpochs.size() - 1)[1], 0));
        }
      }
      if (top) {
        topEpochs.add(new double[] {completedEpochs, value});
        topEpochs.sort((a, b) -> monitorDirection.improves(a[1], b[1], 0) ? -1
            : monitorDirection.improves(b[1], a[1], 0) ? 1 : Double.compare(a[0], b[0]));
      }
      Checkpointed data = checkpointData(completedEpochs, batchInEpoch, lossSum, seen, null);
      CheckpointStore.save(config.checkpointDir().resolve(LAST), data.arrays(), data.state());
      if (improved && config.checkpointPolicy().keepBest() > 0) {
        CheckpointStore.save(config.checkpointDir().resolve(BEST), data.arrays(), data.state());
      }
      if (top) {
        CheckpointStore.save(config.checkpointDir().resolve(TOP).resolve("epoch-" + completedEpochs), data.arrays(),
            data.state());
        while (topEpochs.size() > config.checkpointPolicy().keepBest()) {
          double[] dropped = topEpochs.remove(topEpochs.size() - 1);
          CheckpointStore.delete(config.checkpointDir().resolve(TOP).resolve("epoch-" + (int) dropped[0]));
        }
      }
    }

    /** A checkpoint's arrays and state. */
    private record Checkpointed(Map<String, INDArray> arrays, CheckpointState state) {}

    /** What a checkpoint at this position holds; {@code error} (or null) is the failure it is written for. */
    private Checkpointed checkpointData(int completedEpochs, long batchInEpoch, double lossSum, long seen,
        String error) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("loss_sum", lossSum);
      extra.put("seen", seen);
      if (batchInEpoch > 0) {
        // In the middle of an epoch: what the metrics counted so far, so the epoch's values come out whole.
        extra.put(METRICS, config.metrics().stream().map(Metric::state).toList());
        extra.put(ACCUMULATE, config.accumulate());
        extra.put(SKIPPED_BATCHES, skippedBatches);
      }
      extra.put("monitor", monitor);
      extra.put("monitor_best", monitorBest);
      if (!topEpochs.isEmpty()) {
        extra.put(TOP, topEpochs.stream().map(t -> List.of(t[0], t[1])).toList());
      }
      if (stopRequested() && batchInEpoch == 0) {
        extra.put(STOP_REASON, stopReason());
      }
      if (error != null) {
        extra.put(ERROR, error);
      }
      extra.put(INPUT_SHAPE, Arrays.stream(train.sampleShape()).boxed().toList());
      Map<String, INDArray> arrays = TrainingCheckpoints.arrays(model, config);
      CheckpointState state = TrainingCheckpoints.state(model, config, completedEpochs, batchInEpoch, history(), extra);
      return new Checkpointed(arrays, state);
    }

    /**
     * After a step: a periodic checkpoint when {@code every_steps} steps or {@code every_minutes} minutes
     * have passed since the last, the oldest pruned beyond {@code keep_periodic}.
     */
    private void maybeSavePeriodic(double lossSum, long seen) {
      CheckpointPolicy policy = config.checkpointPolicy();
      if (config.checkpointDir() == null || !policy.periodic()) {
        return;
      }
      long now = System.nanoTime();
      boolean bySteps = policy.everySteps() > 0 && step() % policy.everySteps() == 0;
      boolean byTime = policy.everyMinutes() > 0 && now - lastPeriodic >= policy.everyMinutes() * 60e9;
      if (!bySteps && !byTime) {
        return;
      }
      lastPeriodic = now;
      Path dir = config.checkpointDir().resolve(PERIODIC);
      Checkpointed data = checkpointData(epoch(), batch() + 1, lossSum, seen, null);
      CheckpointStore.save(dir.resolve("step-" + step()), data.arrays(), data.state());
      List<Path> kept = new ArrayList<>();
      try (Stream<Path> entries = Files.list(dir)) {
        entries.filter(d -> d.getFileName().toString().matches("step-[0-9]+")).forEach(kept::add);
      } catch (IOException e) {
        LOG.warn("Could not list the periodic checkpoints in {} to prune them: {}", dir, e.toString());
        return;
      }
      kept.sort(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(5))));
      for (int i = 0; i < kept.size() - policy.keepPeriodic(); i++) {
        CheckpointStore.delete(kept.get(i));
      }
    }

    /** On a failure: error/ with the weights as they are (the NaN guard made no update), if the policy asks. */
    private void saveErrorCheckpoint(RuntimeException failure) {
      if (config.checkpointDir() == null || !config.checkpointPolicy().onError()) {
        return;
      }
      try {
        Checkpointed data = checkpointData(epoch(), batch() + 1, epochLossSum, epochSeen, String.valueOf(
            failure.getMessage()));
        CheckpointStore.save(config.checkpointDir().resolve(ERROR), data.arrays(), data.state());
        LOG.info("Wrote the checkpoint of the failed training to {}", config.checkpointDir().resolve(ERROR));
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }

    TrainingResult execute() {
      int startEpoch = config.resumeFrom() == null ? 0 : resume();
      lastPeriodic = System.nanoTime();
      if (config.distributed() != null) {
        distributed = new DistributedRun(config, model, train.sampleShape(), parameters);
      }
      try {
        return execute(startEpoch);
      } finally {
        if (distributed != null) {
          distributed.close();
          distributed = null;
        }
      }
    }

    private TrainingResult execute(int startEpoch) {
      boolean interrupted = false;
      for (Scheduler s : config.schedulers()) {
        s.onTrainStart(this);
      }
      try {
        for (int e = startEpoch; e < config.epochs() && !stopRequested(); e++) {
          setEpoch(e);
          setBatch(-1);
          for (Scheduler s : config.schedulers()) {
            s.onEpochStart(this);
          }
          if (!runEpoch()) {
            interrupted = true;
            stopBecause("interrupted at epoch " + (epoch() + 1) + ", batch " + (batch() + 1));
            break;
          }
          weightsEpoch = epoch();
          if (validation != null) {
            validate();
          }
          record("lr", learningRate());
          for (Scheduler s : config.schedulers()) {
            s.onEpochEnd(this);
          }
          LOG.info("epoch {}/{}: {}", epoch() + 1, config.epochs(), summary(history().epoch(epoch())));
          saveCheckpoint(epoch() + 1, 0, 0, 0);
        }
      } catch (RuntimeException failure) {
        saveErrorCheckpoint(failure);
        throw failure;
      } finally {
        for (Scheduler s : config.schedulers()) {
          s.onTrainEnd(this);
        }
      }
      if (stopRequested()) {
        LOG.info("Training stopped: {}", stopReason());
      }
      return new TrainingResult(history(), history().epochs(), stopReason(), interrupted, weightsEpoch);
    }

    /** The validation metrics of the epoch, between the schedulers' onValidationStart and onValidationEnd. */
    private void validate() {
      for (Scheduler s : config.schedulers()) {
        s.onValidationStart(this);
      }
      try {
        Evaluation.evaluate(model, validation, config.objective(), config.metrics(), config.batchSize())
            .forEach((k, v) -> record("val_" + k, v));
      } finally {
        for (Scheduler s : config.schedulers()) {
          s.onValidationEnd(this);
        }
      }
    }

    /** One pass over the training data; false if interrupted. */
    private boolean runEpoch() {
      int[] rows = epochSamples != null ? epochSamples : root.fork("shuffle").fork(epoch()).permutation(train.size());
      BatchIterator it = train.batches(config.batchSize(), rows);
      Rng epochRng = root.fork("batch").fork(epoch());
      double lossSum = carriedLossSum;
      long seen = carriedSeen;
      int k = config.accumulate();
      it.skip(startBatch * k);
      setBatch(startBatch - 1);
      startBatch = 0;
      carriedLossSum = 0;
      carriedSeen = 0;
      skippedBatches = carriedSkipped;
      carriedSkipped = 0;
      epochLossSum = lossSum;
      epochSeen = seen;
      double lastFinite = Double.NaN;
      for (int i = 0; i < config.metrics().size(); i++) {
        config.metrics().get(i).reset();
        if (carriedMetrics != null && i < carriedMetrics.size() && carriedMetrics.get(i) instanceof Map<?, ?> saved) {
          @SuppressWarnings("unchecked")
          Map<String, Object> metricState = (Map<String, Object>) saved;
          config.metrics().get(i).loadState(metricState);
        }
      }
      carriedMetrics = null;
      try (ProgressReporter progress = ProgressReporter.create(config.progress(), epoch() + 1, config.epochs(),
          (it.batchCount() + k - 1) / k)) {
        while (it.hasNext()) {
          if (interruptRequested || Thread.currentThread().isInterrupted()) {
            saveCheckpoint(epoch(), batch() + 1, lossSum, seen);
            return false;
          }
          if (distributed != null && distributed.averages()) {
            int first = batch() + 1;
            double[][] round = round(it, epochRng, first);
            for (int i = 0; i < round[0].length; i++) {
              double loss = round[0][i];
              checkFinite(loss, first + i, lastFinite);
              lastFinite = loss;
              setBatch(first + i);
              setBatchLoss(loss);
              lossSum += loss * round[1][i];
              seen += (long) round[1][i];
              for (Scheduler s : config.schedulers()) {
                s.onBatchEnd(this);
              }
              progress.step(loss, (long) round[1][i]);
            }
            if (stopRequested()) {
              break;
            }
            continue;
          }
          int b = batch() + 1;
          Rng batchRng = epochRng.fork(b);
          List<Batch> microBatches = new ArrayList<>(k);
          while (microBatches.size() < k && it.hasNext()) {
            microBatches.add(it.next());
          }
          Gradients update;
          // Everything the update makes (augmented inputs, activations, gradients, the optimizer's
          // temporaries) is released here; parameters, buffers and optimizer state live outside.
          try (StepMemory.Scope scope = StepMemory.open("train")) {
            update = step(microBatches, batchRng);
          }
          double loss = update.loss();
          long size = update.size();
          if (update.problem() != null) {
            String what = (Double.isFinite(loss) ? "The gradient became non-finite" : "The loss became " + loss)
                + " at epoch " + (epoch() + 1) + ", batch " + (b + 1);
            String last = Double.isNaN(lastFinite) ? "no finite loss was seen in this epoch"
                : "the last finite loss was " + lastFinite;
            if (config.onNonFinite() == TrainerConfig.NonFinite.SKIP) {
              // No update was made: the batch is passed over, and counted.
              skippedBatches++;
              LOG.warn("{}; {}. {}. The batch is skipped (on_non_finite: skip); {} skipped in this epoch.", what, last,
                  update.problem(), skippedBatches);
              setBatch(b);
              continue;
            }
            throw new TrainingException(what + "; " + last + ". " + update.problem() + ". Lower the learning rate,"
                + " check the inputs for extreme values, clip the gradients (grad_clip), or add normalization; the"
                + " checkpoints keep the last good weights.", history(), null);
          }
          lastFinite = loss;
          setBatch(b);
          setBatchLoss(loss);
          lossSum += loss * size;
          seen += size;
          epochLossSum = lossSum;
          epochSeen = seen;
          for (Scheduler s : config.schedulers()) {
            s.onBatchEnd(this);
          }
          maybeSavePeriodic(lossSum, seen);
          progress.step(loss, size);
          if (stopRequested()) {
            break;
          }
        }
      }
      record("loss", lossSum / Math.max(1, seen));
      for (Metric m : config.metrics()) {
        record(m.name(), m.value());
      }
      if (config.onNonFinite() == TrainerConfig.NonFinite.SKIP) {
        record(SKIPPED_BATCHES, skippedBatches);
      }
      return true;
    }

    private void checkFinite(double loss, int b, double lastFinite) {
      if (!Double.isFinite(loss)) {
        throw new TrainingException("The loss became " + loss + " at epoch " + (epoch() + 1) + ", batch " + (b + 1)
            + (Double.isNaN(lastFinite) ? "; no finite loss was seen in this epoch"
                : "; the last finite loss was " + lastFinite)
            + ". Lower the learning rate, check the inputs for extreme values, or add normalization.",
            history(), null);
      }
    }

    private Batch augment(Batch data, Rng rng) {
      if (config.augmenters().isEmpty()) {
        return data;
      }
      Augmenter.Context ctx = new Augmenter.Context() {
        @Override
        public int epoch() {
          return Run.this.epoch();
        }

        @Override
        public int epochs() {
          return config.epochs();
        }

        @Override
        public Rng rng() {
          return rng;
        }

        @Override
        public int numClasses() {
          return numClasses;
        }

        @Override
        public Tensor inputGradient(Batch b) {
          return Run.this.inputGradient(b);
        }
      };
      Batch out = data;
      for (int i = 0; i < config.augmenters().size(); i++) {
        out = config.augmenters().get(i).apply(out, ctx);
      }
      return out;
    }

    /**
     * The gradient of the loss with respect to the inputs, in evaluation mode (deterministic, running
     * statistics), leaving the parameters' gradients empty.
     */
    @Override
    public Tensor inputGradient(Batch b) {
      Tensor x = Tensor.parameter(b.inputs().array().dup());
      Tensor output = model.forward(x, ForwardContext.evaluation());
      config.objective().loss(output, b.targets(), objectiveContext(b, Map.of(), false)).backward();
      for (Parameter p : Layers.parameters(model)) {
        p.value().zeroGrad();
      }
      return Tensor.of(x.grad());
    }

    /**
     * The loss of an update (the mean over its samples), its number of samples, and, when its loss or
     * gradient is not finite, where that began, in words (else null).
     */
    private record Gradients(double loss, long size, String problem) {
      Gradients(double loss, long size) {
        this(loss, size, null);
      }
    }

    /**
     * One update from its micro-batches (one, unless gradients are accumulated): their summed gradient,
     * the regularizers' hooks around the optimizer step, the step, given a closure that evaluates the
     * gradient again ({@link dev.regimen.api.train.Optimizer.Closure}). Returns at once, without a step,
     * when a loss is not finite, and with the non-finite loss when the closure met one.
     */
    private Gradients step(List<Batch> microBatches, Rng batchRng) {
      Regularizer.Context regCtx = regularizerContext(batchRng.fork("regularize"));
      Gradients gradients = gradients(microBatches, batchRng, regCtx, true);
      if (gradients.problem() != null) {
        return gradients;
      }
      for (Regularizer r : config.regularizers()) {
        r.onGradients(parameters, regCtx);
      }
      for (Regularizer r : config.regularizers()) {
        r.beforeStep(parameters, regCtx);
      }
      List<Gradients> nonFinite = new ArrayList<>(1);
      config.optimizer().step(parameters, () -> {
        // The gradient again at the weights the optimizer moved to: the same micro-batches and streams,
        // the same gradient hooks, without the metrics.
        Gradients again = gradients(microBatches, batchRng, regCtx, false);
        if (again.problem() != null) {
          nonFinite.add(again);
          return Double.NaN;
        }
        for (Regularizer r : config.regularizers()) {
          r.onGradients(parameters, regCtx);
        }
        return again.loss();
      });
      for (Regularizer r : config.regularizers()) {
        r.afterStep(parameters, regCtx);
      }
      if (!nonFinite.isEmpty()) {
        // The optimizer's re-evaluation met a non-finite loss or gradient: the step counts as one.
        Gradients again = nonFinite.get(0);
        return new Gradients(again.loss(), gradients.size(), "In the optimizer's re-evaluation at moved weights: "
            + again.problem());
      }
      return gradients;
    }

    /**
     * The gradient of an update at the current weights, summed into the parameters' gradients: every
     * micro-batch augmented first (at the same weights, before any gradient is taken), then each one's
     * forward and backward with its loss weighted by its share of the update's samples, so that k
     * micro-batches give the gradient of one batch k times as large. With one micro-batch its random
     * stream is the update's, as without accumulation; micro-batch j of several draws from
     * {@code update -> "micro" -> j}. Each micro-batch of several runs in a step scope of its own, so
     * that only one micro-batch's activations are alive at a time.
     *
     * @param regCtx the update's context for the regularizers' hooks, which a single micro-batch shares
     * @param record whether this is the update's own evaluation, which the metrics count and in which
     *     layers update their state; false for an optimizer's re-evaluation
     */
    private Gradients gradients(List<Batch> microBatches, Rng batchRng, Regularizer.Context regCtx, boolean record) {
      int count = microBatches.size();
      long total = 0;
      for (Batch raw : microBatches) {
        total += raw.size();
      }
      List<Batch> augmented = new ArrayList<>(count);
      for (int j = 0; j < count; j++) {
        augmented.add(augment(microBatches.get(j), microRng(batchRng, j, count).fork("augment")));
      }
      for (Parameter p : parameters) {
        p.value().zeroGrad();
      }
      double loss = 0;
      long size = 0;
      for (int j = 0; j < count; j++) {
        Batch data = augmented.get(j);
        double weight = count == 1 ? 1 : (double) microBatches.get(j).size() / total;
        double value;
        try (StepMemory.Scope scope = count == 1 ? () -> {} : StepMemory.open("micro-batch")) {
          Rng rng = microRng(batchRng, j, count);
          value = forwardBackward(data, rng, count == 1 ? regCtx : regularizerContext(rng.fork("regularize")), weight,
              record);
        }
        if (!Double.isFinite(value)) {
          return new Gradients(value, data.size(), NonFiniteSearch.output(model, data, microRng(batchRng, j, count)
              .fork("forward")) + (count == 1 ? "" : " (micro-batch " + (j + 1) + " of " + count + ")"));
        }
        loss += weight * value;
        size += data.size();
      }
      String gradient = NonFiniteSearch.gradient(parameters);
      return new Gradients(loss, size, gradient);
    }

    private static Rng microRng(Rng batchRng, int j, int count) {
      return count == 1 ? batchRng : batchRng.fork("micro").fork(j);
    }

    /**
     * One micro-batch's forward pass, loss (objective plus penalties) and backward of {@code weight}
     * times the loss, with the regularizers' hooks around them; returns the unweighted loss, without a
     * backward when it is not finite.
     */
    private double forwardBackward(Batch data, Rng rng, Regularizer.Context regCtx, double weight, boolean record) {
      for (Regularizer r : config.regularizers()) {
        r.beforeForward(parameters, regCtx);
      }
      Tensor output;
      double value;
      try {
        if (distributed != null) {
          // sync: 'gradients': the workers compute the batch's gradient on their shards and it is summed
          // into the parameters' gradients (a distributed training takes no accumulation: accumulate is 1).
          Computed computed = distributed.gradients(data, rng, epoch(), batch() + 1);
          output = computed.output();
          value = computed.loss();
          if (!Double.isFinite(value)) {
            return value;
          }
        } else {
          // A re-evaluation (record false) leaves layer state alone: batch norm's running statistics count
          // each batch once, as in SAM's reference implementation.
          ForwardContext ctx = ForwardContext.training(rng.fork("forward")).withStateUpdates(record);
          if (!config.objective().requiredTaps().isEmpty()) {
            ctx = ctx.recordingTaps();
          }
          output = model.forward(data.inputs(), ctx);
          Tensor loss = config.objective().loss(output, data.targets(), objectiveContext(data, ctx.taps(), true));
          for (Regularizer r : config.regularizers()) {
            Tensor penalty = r.penalty(parameters);
            if (penalty != null) {
              loss = loss.add(penalty);
            }
          }
          value = loss.item();
          if (!Double.isFinite(value)) {
            return value;
          }
          (weight == 1 ? loss : loss.mul(weight)).backward();
        }
      } finally {
        // Always undo what beforeForward did (weight noise), even when the loss is not finite.
        for (Regularizer r : config.regularizers()) {
          r.afterBackward(parameters, regCtx);
        }
      }
      if (record && !config.metrics().isEmpty()) {
        Tensor detached = output.detach();
        for (Metric m : config.metrics()) {
          m.update(detached, data.targets());
        }
      }
      return value;
    }

    /**
     * A {@code sync: 'average'} round from batch {@code first}: its batches made and augmented as single steps
     * make them, the workers' local steps, the average; each batch's loss and size.
     */
    private double[][] round(BatchIterator it, Rng epochRng, int first) {
      List<Batch> batches = new ArrayList<>();
      List<Rng> rngs = new ArrayList<>();
      try (StepMemory.Scope scope = StepMemory.open("train")) {
        for (int i = 0; i < distributed.roundLength(first) && it.hasNext(); i++) {
          Rng batchRng = epochRng.fork(first + i);
          batches.add(augment(it.next(), batchRng.fork("augment")));
          rngs.add(batchRng);
        }
        double[] losses = distributed.average(batches, rngs, epoch(), first, config.metrics());
        double[] sizes = batches.stream().mapToDouble(Batch::size).toArray();
        return new double[][] {losses, sizes};
      }
    }

    private Regularizer.Context regularizerContext(Rng rng) {
      return new Regularizer.Context() {
        @Override
        public Rng rng() {
          return rng;
        }

        @Override
        public double learningRate() {
          return config.optimizer().learningRate();
        }

        @Override
        public int epoch() {
          return Run.this.epoch();
        }
      };
    }

    private ObjectiveContext objectiveContext(Batch b, Map<String, Tensor> taps, boolean training) {
      return Trainer.objectiveContext(b, taps, training, epoch());
    }

    // ------------------------------------------------------------ control

    @Override
    public long step() {
      return config.optimizer().steps();
    }

    @Override
    public int epochs() {
      return config.epochs();
    }

    @Override
    public Path outputDir() {
      return config.outputDir();
    }

    @Override
    public int stepsPerEpoch() {
      int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
      return (batches + config.accumulate() - 1) / config.accumulate();
    }

    @Override
    public Layer model() {
      return model;
    }

    @Override
    public double learningRate() {
      return config.optimizer().learningRate();
    }

    @Override
    public void setLearningRate(double lr) {
      if (!(lr >= 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("The learning rate must be a finite number >= 0. Received: lr=" + lr);
      }
      config.optimizer().setLearningRate(lr);
    }

    @Override
    public Map<String, INDArray> snapshotWeights() {
      return StepMemory.outside(() -> {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        for (Parameter p : Layers.parameters(model)) {
          copy.put(p.name(), p.value().array().dup());
        }
        Layers.buffers(model).forEach((name, t) -> copy.put(name, t.array().dup()));
        return copy;
      });
    }

    @Override
    public void restoreWeights(Map<String, INDArray> snapshot, int snapshotEpoch) {
      restoreWeights(snapshot);
      weightsEpoch = snapshotEpoch;
    }

    @Override
    public int weightsEpoch() {
      return weightsEpoch;
    }

    @Override
    public void restoreWeights(Map<String, INDArray> snapshot) {
      weightsEpoch = -1;
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        for (Parameter p : Layers.parameters(model)) {
          INDArray saved = snapshot.get(p.name());
          if (saved != null) {
            p.value().array().assign(saved);
          }
        }
        Layers.buffers(model).forEach((name, t) -> {
          INDArray saved = snapshot.get(name);
          if (saved != null) {
            t.array().assign(saved);
          }
        });
      }
    }

    @Override
    public int trainingSize() {
      return train.size();
    }

    @Override
    public Batch trainingSample(int n) {
      int rows = Math.max(0, Math.min(n, train.size()));
      int[] indices = new int[rows];
      for (int i = 0; i < rows; i++) {
        indices[i] = i;
      }
      Dataset sample = train.subset(indices);
      return new Batch(sample.features(), sample.targets(), indices);
    }

    @Override
    public Iterable<Batch> validationBatches(int batchSize) {
      if (validation == null) {
        return List.of();
      }
      return () -> validation.batches(batchSize, (Rng) null);
    }

    @Override
    public void setEpochSamples(int[] indices) {
      this.epochSamples = indices == null ? null : indices.clone();
    }
  }

  private static String summary(Map<String, Double> metrics) {
    StringBuilder out = new StringBuilder();
    metrics.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=')
        .append(String.format(java.util.Locale.ROOT, "%.4g", v)));
    return out.toString();
  }
}
