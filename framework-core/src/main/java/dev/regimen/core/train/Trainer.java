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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training loop. For each epoch: scheduler events; for each batch: augmenters, forward in
 * training mode, the objective plus every regularizer's penalty, {@code backward}, regularizer hooks
 * around the optimizer step, the step, metrics; then validation in evaluation mode and a history of
 * every metric.
 *
 * <p>Randomness is derived, not carried: the shuffle order of epoch e comes from
 * {@code seed -> "shuffle" -> e}, and the random stream of batch b of epoch e from
 * {@code seed -> "batch" -> e -> b}. A run resumed at any batch boundary therefore sees exactly the
 * numbers an uninterrupted run would have seen.
 *
 * <p>A non-finite loss stops training with a {@link TrainingException} naming the epoch, the batch
 * and the last finite loss; schedulers still get {@code onTrainEnd} (so early stopping restores the
 * best weights).
 */
public final class Trainer {
  private static final Logger LOG = LogManager.getLogger(Trainer.class);

  /** The checkpoint written after every epoch (and on interrupt), under the checkpoint folder. */
  public static final String LAST = "last";

  /** The checkpoint of the epoch with the best monitored metric, under the checkpoint folder. */
  public static final String BEST = "best";

  /**
   * The key in a checkpoint's {@code extra} state of why its training stopped before its last epoch
   * (early stopping, a callback); a run resumed from such a checkpoint trains no further.
   */
  static final String STOP_REASON = "stop_reason";

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
    private double carriedLossSum;
    private long carriedSeen;
    private List<?> carriedMetrics;
    /** The epoch whose weights the model holds (see {@link TrainingControl#weightsEpoch()}). */
    private int weightsEpoch = -1;
    private final String monitor;
    private final MetricDirection monitorDirection;
    private double monitorBest = Double.NaN;
    /** The driver's side of a distributed training, while one runs. */
    private DistributedRun distributed;

    Run(Layer model, Dataset train, Dataset validation, Rng root) {
      this.model = model;
      this.train = train;
      this.validation = validation;
      this.root = root;
      this.parameters = trainableParameters(model, config);
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
      carriedLossSum = ((Number) state.extra().getOrDefault("loss_sum", 0.0)).doubleValue();
      carriedSeen = ((Number) state.extra().getOrDefault("seen", 0)).longValue();
      carriedMetrics = state.extra().get(METRICS) instanceof List<?> saved ? saved : null;
      Object best = state.extra().get("monitor_best");
      monitorBest = best instanceof Number n ? n.doubleValue() : Double.NaN;
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

    /** Writes last/ (and best/ when the monitored metric improved) under the checkpoint folder. */
    private void saveCheckpoint(int completedEpochs, long batchInEpoch, double lossSum, long seen) {
      if (config.checkpointDir() == null) {
        return;
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("loss_sum", lossSum);
      extra.put("seen", seen);
      if (batchInEpoch > 0) {
        // In the middle of an epoch: what the metrics counted so far, so the epoch's values come out whole.
        extra.put(METRICS, config.metrics().stream().map(Metric::state).toList());
      }
      boolean improved = false;
      if (batchInEpoch == 0 && completedEpochs > 0) {
        OptionalDouble value = history().last(monitor);
        if (value.isPresent() && monitorDirection.improves(value.getAsDouble(), monitorBest, 0)) {
          monitorBest = value.getAsDouble();
          improved = true;
        }
      }
      extra.put("monitor", monitor);
      extra.put("monitor_best", monitorBest);
      if (stopRequested() && batchInEpoch == 0) {
        extra.put(STOP_REASON, stopReason());
      }
      extra.put(INPUT_SHAPE, Arrays.stream(train.sampleShape()).boxed().toList());
      Map<String, INDArray> arrays = TrainingCheckpoints.arrays(model, config);
      CheckpointState state = TrainingCheckpoints.state(model, config, completedEpochs, batchInEpoch, history(), extra);
      CheckpointStore.save(config.checkpointDir().resolve(LAST), arrays, state);
      if (improved) {
        CheckpointStore.save(config.checkpointDir().resolve(BEST), arrays, state);
      }
    }

    TrainingResult execute() {
      int startEpoch = config.resumeFrom() == null ? 0 : resume();
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
            Evaluation.evaluate(model, validation, config.objective(), config.metrics(), config.batchSize())
                .forEach((k, v) -> record("val_" + k, v));
          }
          record("lr", learningRate());
          for (Scheduler s : config.schedulers()) {
            s.onEpochEnd(this);
          }
          LOG.info("epoch {}/{}: {}", epoch() + 1, config.epochs(), summary(history().epoch(epoch())));
          saveCheckpoint(epoch() + 1, 0, 0, 0);
        }
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

    /** One pass over the training data; false if interrupted. */
    private boolean runEpoch() {
      int[] rows = epochSamples != null ? epochSamples : root.fork("shuffle").fork(epoch()).permutation(train.size());
      BatchIterator it = train.batches(config.batchSize(), rows);
      Rng epochRng = root.fork("batch").fork(epoch());
      double lossSum = carriedLossSum;
      long seen = carriedSeen;
      it.skip(startBatch);
      setBatch(startBatch - 1);
      startBatch = 0;
      carriedLossSum = 0;
      carriedSeen = 0;
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
          it.batchCount())) {
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
          double loss;
          long size;
          // Everything the batch makes (augmented inputs, activations, gradients, the optimizer's
          // temporaries) is released here; parameters, buffers and optimizer state live outside.
          try (StepMemory.Scope scope = StepMemory.open("train")) {
            Batch data = augment(it.next(), batchRng.fork("augment"));
            size = data.size();
            loss = step(data, batchRng);
          }
          checkFinite(loss, b, lastFinite);
          lastFinite = loss;
          setBatch(b);
          setBatchLoss(loss);
          lossSum += loss * size;
          seen += size;
          for (Scheduler s : config.schedulers()) {
            s.onBatchEnd(this);
          }
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

    private double step(Batch data, Rng batchRng) {
      Regularizer.Context regCtx = regularizerContext(batchRng.fork("regularize"));
      for (Regularizer r : config.regularizers()) {
        r.beforeForward(parameters, regCtx);
      }
      Computed computed;
      try {
        computed = distributed != null ? distributed.gradients(data, batchRng, epoch(), batch() + 1)
            : forwardBackward(model, config.objective(), config.regularizers(), parameters, data,
                ForwardContext.training(batchRng.fork("forward")), epoch());
        if (!Double.isFinite(computed.loss())) {
          return computed.loss();
        }
      } finally {
        // Always undo what beforeForward did (weight noise), even when the loss is not finite.
        for (Regularizer r : config.regularizers()) {
          r.afterBackward(parameters, regCtx);
        }
      }
      for (Regularizer r : config.regularizers()) {
        r.beforeStep(parameters, regCtx);
      }
      config.optimizer().step(parameters);
      for (Regularizer r : config.regularizers()) {
        r.afterStep(parameters, regCtx);
      }
      if (!config.metrics().isEmpty()) {
        Tensor detached = computed.output().detach();
        for (Metric m : config.metrics()) {
          m.update(detached, data.targets());
        }
      }
      return computed.loss();
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
