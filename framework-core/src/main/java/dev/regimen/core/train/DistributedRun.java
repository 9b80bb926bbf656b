package dev.regimen.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.distributed.DistributedEngines;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedSession;
import dev.regimen.core.distributed.DistributedTraining;
import dev.regimen.core.distributed.GradientSum;
import dev.regimen.core.distributed.GradientTask;
import dev.regimen.core.distributed.ParameterSum;
import dev.regimen.core.distributed.RoundTask;
import dev.regimen.core.distributed.WorkerSpec;
import dev.regimen.core.distributed.Workers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The driver's side of a data-parallel training ({@link TrainerConfig#distributed()}): splits each batch the
 * trainer made into one contiguous shard per worker, sends the driver's parameters and the shards through the
 * engine's {@link DistributedSession}, and puts what comes back into the driver's model, exactly where one
 * process's forward and backward passes would have put it. The optimizer, the regularizers' penalties and hooks,
 * the metrics and the checkpoints stay on the driver.
 */
final class DistributedRun implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(DistributedRun.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainerConfig config;
  private final DistributedOptions options;
  private final Layer model;
  private final List<Parameter> parameters;
  private final WorkerSpec spec;
  private final DistributedSession session;
  private int retried;

  DistributedRun(TrainerConfig config, Layer model, long[] inputShape, List<Parameter> parameters) {
    DistributedTraining training = config.distributed();
    this.config = config;
    this.options = training.options();
    this.model = model;
    this.parameters = parameters;
    if (options.sync() == DistributedOptions.Sync.AVERAGE && !config.regularizers().isEmpty()) {
      throw new IllegalArgumentException("distributed.sync 'average' takes the optimizer steps on the workers, which"
          + " do not run regularizers; remove the regularizers or use sync: 'gradients' (the driver adds their"
          + " penalties to the summed gradients)");
    }
    String tree;
    try {
      tree = JSON.writeValueAsString(TrainingCheckpoints.configTree(model.config()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The model's config cannot be sent to the workers as JSON: "
          + e.getOriginalMessage(), e);
    }
    this.spec = new WorkerSpec(UUID.randomUUID().toString(), tree, inputShape, training.objective(),
        training.optimizer(), List.copyOf(config.frozen()),
        training.pluginDirs().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    this.session = DistributedEngines.require(options.engine(), "The trainer option distributed.engine")
        .open(options, spec);
    LOG.info("Distributed training on {}: {} workers, sync '{}'{}", session.describe(), options.workers(),
        options.sync().id(), options.sync() == DistributedOptions.Sync.AVERAGE ? " every " + options.every()
            + " steps" : "");
  }

  boolean averages() {
    return options.sync() == DistributedOptions.Sync.AVERAGE;
  }

  /** How many batches the round that starts at batch {@code first} of an epoch takes: rounds align to every K. */
  int roundLength(int first) {
    return options.every() - first % options.every();
  }

  /**
   * One {@code sync: 'gradients'} step's passes: each parameter's gradient set to the batch's (the workers'
   * weighted sum, then the regularizers' penalties added on the driver), the buffers set to the workers'
   * weighted average; the loss and the model's outputs in batch order.
   */
  Trainer.Computed gradients(Batch data, Rng batchRng, int epoch, int batch) {
    long n = data.size();
    List<GradientTask> tasks = new ArrayList<>();
    long forwardSeed = batchRng.fork("forward").seed();
    for (int w = 0; w < options.workers(); w++) {
      long[] rows = shard(n, w);
      if (rows[1] > rows[0]) {
        tasks.add(new GradientTask(w, epoch, batch, forwardSeed, (double) (rows[1] - rows[0]) / n,
            shardData(data, rows), shardIndices(data, rows)));
      }
    }
    GradientSum sum = session.gradients(state(false), tasks);
    reportEvents(false);
    double loss = sum.loss();
    Tensor output = Tensor.of(concatOutputs(sum.outputs(), "output"));
    if (!Double.isFinite(loss)) {
      return new Trainer.Computed(loss, output);
    }
    Map<String, INDArray> gradients = Safetensors.decode(sum.gradients(), "the summed gradients");
    for (Parameter p : parameters) {
      p.value().zeroGrad();
      INDArray g = gradients.get(p.name());
      if (g != null) {
        p.value().backward(g.castTo(p.value().dataType()));
      }
    }
    Workers.release(gradients.values());
    averageBuffers(sum.buffers(), sum.weights());
    Tensor penalty = null;
    for (Regularizer r : config.regularizers()) {
      Tensor p = r.penalty(parameters);
      if (p != null) {
        penalty = penalty == null ? p : penalty.add(p);
      }
    }
    if (penalty != null) {
      loss += penalty.item();
      if (Double.isFinite(loss)) {
        penalty.backward();
      }
    }
    return new Trainer.Computed(loss, output);
  }

  /**
   * One {@code sync: 'average'} round over {@code batches}: the workers' local steps, then the driver's parameters,
   * optimizer state and buffers set to their weighted average, and the metrics updated with every batch's
   * outputs. Returns each batch's loss.
   */
  double[] average(List<Batch> batches, List<Rng> batchRngs, int epoch, int first, List<Metric> metrics) {
    int workers = options.workers();
    long total = batches.stream().mapToLong(Batch::size).sum();
    List<RoundTask> tasks = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      byte[][] data = new byte[batches.size()][];
      int[][] indices = new int[batches.size()][];
      double[] batchWeights = new double[batches.size()];
      long[] seeds = new long[batches.size()];
      long mine = 0;
      for (int b = 0; b < batches.size(); b++) {
        Batch batch = batches.get(b);
        long[] rows = shard(batch.size(), w);
        seeds[b] = batchRngs.get(b).fork("forward").seed();
        if (rows[1] > rows[0]) {
          data[b] = shardData(batch, rows);
          indices[b] = shardIndices(batch, rows);
          batchWeights[b] = (double) (rows[1] - rows[0]) / batch.size();
          mine += rows[1] - rows[0];
        } else {
          data[b] = new byte[0];
          indices[b] = null;
        }
      }
      if (mine > 0) {
        tasks.add(new RoundTask(w, epoch, first, seeds, data, indices, batchWeights, (double) mine / total,
            config.optimizer().learningRate(), config.optimizer().steps()));
      }
    }
    ParameterSum sum = session.localSteps(state(true), tasks);
    reportEvents(false);
    Map<String, INDArray> averaged = Safetensors.decode(sum.parameters(), "the averaged parameters");
    Map<String, INDArray> optimizerState = new LinkedHashMap<>();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Parameter p : parameters) {
        INDArray value = averaged.get(p.name());
        if (value != null) {
          p.value().array().assign(value);
        }
      }
    }
    averaged.forEach((name, array) -> {
      if (name.startsWith(Workers.OPTIMIZER_PREFIX)) {
        String key = name.substring(Workers.OPTIMIZER_PREFIX.length());
        // A per-parameter step count is a count, not a mean: every worker took the same steps.
        optimizerState.put(key, key.endsWith(".step") ? Nd4j.scalar(array.dataType(), Math.rint(array.getDouble(0)))
            : array);
      }
    });
    // The optimizer's state outlives the step: loadState's copies are made outside the step's memory.
    long steps = config.optimizer().steps() + batches.size();
    StepMemory.outside(() -> {
      config.optimizer().loadState(optimizerState, steps);
      return null;
    });
    Workers.release(averaged.values());
    averageBuffers(sum.buffers(), sum.weights());
    if (!metrics.isEmpty()) {
      for (int b = 0; b < batches.size(); b++) {
        Tensor output = Tensor.of(concatOutputs(sum.outputs(), "b" + b));
        for (Metric m : metrics) {
          m.update(output, batches.get(b).targets());
        }
      }
    }
    return sum.losses();
  }

  @Override
  public void close() {
    try {
      reportEvents(true);
      session.close();
    } finally {
      Workers.forget(spec.id());
      if (retried > 0) {
        LOG.warn("Distributed training: {} worker task(s) failed and were retried by the engine", retried);
      }
    }
  }

  /** The rows {@code [from, to)} of worker {@code w}'s shard of a batch of {@code n}: sizes differ by at most one. */
  private long[] shard(long n, int w) {
    int workers = options.workers();
    return new long[] {n * w / workers, n * (w + 1) / workers};
  }

  private static byte[] shardData(Batch data, long[] rows) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("inputs", rowsOf(data.inputs().array(), rows));
    arrays.put("targets", rowsOf(data.targets().array(), rows));
    return Safetensors.encode(arrays);
  }

  private static INDArray rowsOf(INDArray array, long[] rows) {
    return rows[0] == 0 && rows[1] == array.size(0) ? array
        : array.get(NDArrayIndex.interval(rows[0], rows[1]));
  }

  private static int[] shardIndices(Batch data, long[] rows) {
    if (data.indices() == null) {
      return null;
    }
    return java.util.Arrays.copyOfRange(data.indices(), (int) rows[0], (int) rows[1]);
  }

  /** The driver's parameters and buffers (and, for averaging, the optimizer's state), as bytes. */
  private byte[] state(boolean withOptimizer) {
    Map<String, INDArray> arrays = new LinkedHashMap<>(TrainingCheckpoints.modelArrays(model));
    config.objective().parameters().forEach((name, t) -> arrays.put("objective." + name, t.array()));
    if (withOptimizer) {
      config.optimizer().state().forEach((k, v) -> arrays.put(Workers.OPTIMIZER_PREFIX + k, v));
    }
    return Safetensors.encode(arrays);
  }

  private static INDArray concatOutputs(Map<Integer, byte[]> outputs, String key) {
    List<INDArray> parts = new ArrayList<>();
    for (byte[] bytes : outputs.values()) {
      INDArray part = Safetensors.decode(bytes, "a worker's outputs").get(key);
      if (part != null) {
        parts.add(part);
      }
    }
    return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
  }

  /** Each buffer set to the workers' values averaged with their weights (a non-float buffer: the first's). */
  private void averageBuffers(Map<Integer, byte[]> buffers, Map<Integer, Double> weights) {
    Map<String, Tensor> own = Layers.buffers(model);
    if (own.isEmpty()) {
      return;
    }
    Map<String, INDArray> sum = new LinkedHashMap<>();
    double totalWeight = 0;
    for (Map.Entry<Integer, byte[]> e : buffers.entrySet()) {
      double weight = weights.get(e.getKey());
      totalWeight += weight;
      for (Map.Entry<String, INDArray> b : Safetensors.decode(e.getValue(), "a worker's buffers").entrySet()) {
        INDArray value = b.getValue();
        if (!value.dataType().isFPType()) {
          sum.putIfAbsent(b.getKey(), value);
        } else {
          INDArray weighted = value.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).muli(weight);
          sum.merge(b.getKey(), weighted, INDArray::addi);
        }
      }
    }
    double total = totalWeight;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      own.forEach((name, t) -> {
        INDArray value = sum.get(name);
        if (value != null) {
          t.array().assign(value.dataType().isFPType() ? value.divi(total).castTo(t.dataType()) : value);
        }
      });
    }
  }

  private void reportEvents(boolean flush) {
    for (String event : session.drainEvents(flush)) {
      retried++;
      LOG.warn("Distributed training: {}", event);
    }
  }

}
