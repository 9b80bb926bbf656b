package dev.regimen.core.distributed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.Optimizer;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a worker computes, whatever the engine that runs it: the model, the loss and the optimizer of a
 * {@link WorkerSpec} made once per worker process and training (and kept, one per concurrent task), the
 * driver's parameters and buffers put into them from the call's state bytes, then the forward and backward
 * passes of the trainer itself ({@link Trainer#forwardBackward}) on the task's shard.
 *
 * <p>Each worker draws its own random numbers (dropout masks): its forward stream is the batch's forked by
 * {@code "worker" -> shard}. Batch normalization in a worker normalizes with its shard's statistics (as
 * PyTorch's DistributedDataParallel does without SyncBatchNorm); the running statistics the workers return are
 * averaged by the driver, weighted by shard size.
 */
public final class Workers {
  /** The prefix of the optimizer's state arrays in a {@code sync: 'average'} state. */
  public static final String OPTIMIZER_PREFIX = CheckpointStore.OPTIMIZER_PREFIX;

  /** How many trainings' workers a process keeps ready; older ones are dropped. */
  private static final int KEPT_TRAININGS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Idle workers by training id, the most recently used training last. */
  private static final LinkedHashMap<String, Deque<Worker>> IDLE = new LinkedHashMap<>(16, 0.75f, true);
  /** Registries with plugins by plugin folders, kept for the process's life. */
  private static final Map<List<String>, ComponentRegistry> REGISTRIES = new LinkedHashMap<>();

  private Workers() {}

  /**
   * The weighted loss and gradients of one shard of a batch, from the parameters and buffers in {@code state}:
   * the gradients are those of {@code weight * mean loss of the shard}, so the workers' sum is the gradient of
   * the batch's mean loss.
   */
  public static GradientSum gradients(WorkerSpec spec, byte[] state, GradientTask task) {
    Worker worker = borrow(spec);
    try (Worker.Loaded ignored = worker.load(state)) {
      Batch batch = batch(task.data(), task.indices(), task);
      Rng rng = new Rng(task.forwardSeed()).fork("worker").fork(task.shard());
      try (StepMemory.Scope scope = StepMemory.open("train")) {
        Trainer.Computed computed = Trainer.forwardBackward(worker.model, worker.objective, List.of(),
            worker.parameters, batch, ForwardContext.training(rng), task.epoch());
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        if (Double.isFinite(computed.loss())) {
          for (Parameter p : worker.parameters) {
            if (p.value().grad() != null) {
              gradients.put(p.name(), p.value().grad().mul(task.weight()));
            }
          }
        }
        TreeMap<Integer, byte[]> outputs = new TreeMap<>();
        outputs.put(task.shard(), Safetensors.encode(Map.of("output", computed.output().array())));
        TreeMap<Integer, byte[]> buffers = new TreeMap<>();
        buffers.put(task.shard(), worker.buffers());
        TreeMap<Integer, Double> weights = new TreeMap<>();
        weights.put(task.shard(), task.weight());
        return new GradientSum(Safetensors.encode(gradients), computed.loss() * task.weight(), outputs, buffers,
            weights);
      }
    } finally {
      giveBack(spec, worker);
    }
  }

  /**
   * One worker's part of a {@code sync: 'average'} round: from the driver's parameters, buffers and optimizer
   * state, one optimizer step on its shard of each batch of the round, then its parameters and optimizer state
   * times its weight (so that the workers' sum is the weighted average).
   */
  public static ParameterSum localSteps(WorkerSpec spec, byte[] state, RoundTask task) {
    Worker worker = borrow(spec);
    try (Worker.Loaded loaded = worker.load(state)) {
      Optimizer optimizer = worker.optimizer();
      optimizer.loadState(loaded.optimizerState(), task.steps());
      optimizer.setLearningRate(task.learningRate());
      int batches = task.data().length;
      double[] losses = new double[batches];
      Map<String, INDArray> outputs = new LinkedHashMap<>();
      for (int b = 0; b < batches; b++) {
        if (task.data()[b].length == 0) {
          continue;
        }
        Batch batch = batch(task.data()[b], task.indices()[b], task);
        Rng rng = new Rng(task.forwardSeeds()[b]).fork("worker").fork(task.shard());
        try (StepMemory.Scope scope = StepMemory.open("train")) {
          Trainer.Computed computed = Trainer.forwardBackward(worker.model, worker.objective, List.of(),
              worker.parameters, batch, ForwardContext.training(rng), task.epoch());
          losses[b] = computed.loss() * task.batchWeights()[b];
          outputs.put("b" + b, StepMemory.keep(computed.output().array()));
          if (!Double.isFinite(computed.loss())) {
            break;
          }
          optimizer.step(worker.parameters);
        }
      }
      Map<String, INDArray> weighted = new LinkedHashMap<>();
      for (Parameter p : worker.parameters) {
        weighted.put(p.name(), p.value().array().mul(task.weight()));
      }
      optimizer.state().forEach((name, array) -> weighted.put(OPTIMIZER_PREFIX + name,
          array.dataType().isFPType() ? array.mul(task.weight()) : array));
      TreeMap<Integer, byte[]> out = new TreeMap<>();
      out.put(task.shard(), Safetensors.encode(outputs));
      TreeMap<Integer, byte[]> buffers = new TreeMap<>();
      buffers.put(task.shard(), worker.buffers());
      TreeMap<Integer, Double> weights = new TreeMap<>();
      weights.put(task.shard(), task.weight());
      byte[] parameters = Safetensors.encode(weighted);
      release(weighted.values());
      release(outputs.values());
      return new ParameterSum(parameters, losses, out, buffers, weights);
    } finally {
      giveBack(spec, worker);
    }
  }

  /** Drops this process's workers of a training (the driver calls it when the training ends). */
  public static void forget(String specId) {
    synchronized (IDLE) {
      IDLE.remove(specId);
    }
  }

  /** Frees arrays made outside any workspace now rather than when the collector finds them. */
  public static void release(Collection<INDArray> arrays) {
    for (INDArray a : arrays) {
      if (a != null && !a.isAttached() && a.closeable()) {
        a.close();
      }
    }
  }

  private static Batch batch(byte[] data, int[] indices, Object task) {
    Map<String, INDArray> arrays = Safetensors.decode(data, "the data of " + task.getClass().getSimpleName());
    INDArray inputs = arrays.get("inputs");
    INDArray targets = arrays.get("targets");
    if (inputs == null || targets == null) {
      throw new IllegalStateException("A worker's data holds " + arrays.keySet() + ", not inputs and targets");
    }
    return new Batch(Tensor.of(inputs), Tensor.of(targets), indices);
  }

  private static Worker borrow(WorkerSpec spec) {
    synchronized (IDLE) {
      Deque<Worker> idle = IDLE.get(spec.id());
      if (idle != null && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    return new Worker(spec);
  }

  private static void giveBack(WorkerSpec spec, Worker worker) {
    synchronized (IDLE) {
      IDLE.computeIfAbsent(spec.id(), k -> new ArrayDeque<>()).push(worker);
      while (IDLE.size() > KEPT_TRAININGS) {
        IDLE.remove(IDLE.keySet().iterator().next());
      }
    }
  }

  /** The built-ins, and the plugins of the spec's folders when a component is not built in. */
  private static ComponentRegistry registry(WorkerSpec spec, List<String> names) {
    ComponentRegistry builtIns = registry(List.of());
    boolean allBuiltIn = builtIns.contains(ComponentKind.OBJECTIVE, spec.objective().name())
        && builtIns.contains(ComponentKind.OPTIMIZER, spec.optimizer().name())
        && names.stream().allMatch(n -> builtIns.contains(ComponentKind.LAYER, n));
    return allBuiltIn || spec.pluginDirs().isEmpty() ? builtIns : registry(spec.pluginDirs());
  }

  private static ComponentRegistry registry(List<String> dirs) {
    synchronized (REGISTRIES) {
      return REGISTRIES.computeIfAbsent(List.copyOf(dirs), d -> {
        ComponentRegistry registry = new ComponentRegistry();
        registry.registerAll(PluginHost.builtInFactories(), PluginHost.BUILT_IN);
        for (String dir : d) {
          if (Files.isDirectory(Path.of(dir))) {
            // Kept open for the process's life: the components made from it need their class loaders.
            PluginHost host = PluginHost.load(Path.of(dir));
            host.registry().entries().stream().filter(e -> !e.origin().equals(PluginHost.BUILT_IN))
                .forEach(e -> registry.register(e.factory(), e.origin()));
          }
        }
        return registry;
      });
    }
  }

  /** A worker's copy of the training's model, loss and optimizer. */
  private static final class Worker {
    final WorkerSpec spec;
    final ComponentRegistry registry;
    final Layer model;
    final Objective objective;
    final List<Parameter> parameters;
    private Optimizer optimizer;

    Worker(WorkerSpec spec) {
      this.spec = spec;
      Map<String, Object> tree;
      try {
        tree = JSON.readValue(spec.modelConfigJson(), new TypeReference<LinkedHashMap<String, Object>>() {});
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("A worker cannot read the model's config: " + e.getOriginalMessage(), e);
      }
      java.util.List<String> types = new java.util.ArrayList<>();
      collectTypes(tree, types);
      this.registry = Workers.registry(spec, types);
      this.model = LayerFactories.fromConfig(Transfer.modelConfig(tree),
          name -> registry.factory(ComponentKind.LAYER, name));
      Layers.build(model, spec.inputShape(), new Rng(0).fork("init"));
      this.objective = registry.create(ComponentKind.OBJECTIVE, spec.objective().name(), spec.objective().options());
      this.parameters = Trainer.trainableParameters(model, objective, new HashSet<>(spec.frozen()));
    }

    Optimizer optimizer() {
      if (optimizer == null) {
        optimizer = registry.create(ComponentKind.OPTIMIZER, spec.optimizer().name(), spec.optimizer().options());
      }
      return optimizer;
    }

    /** Every buffer (batch norm's running statistics), safetensors bytes. */
    byte[] buffers() {
      Map<String, INDArray> out = new LinkedHashMap<>();
      Layers.buffers(model).forEach((name, t) -> out.put(name, t.array()));
      return Safetensors.encode(out);
    }

    /** Puts the state's parameters and buffers into this worker's model; what is left is the optimizer's. */
    Loaded load(byte[] state) {
      Map<String, INDArray> arrays = Safetensors.decode(state, "the driver's parameters");
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        for (Parameter p : Layers.parameters(model)) {
          p.value().array().assign(required(arrays, p.name()));
        }
        objective.parameters().forEach((name, t) -> t.array().assign(required(arrays, "objective." + name)));
        Layers.buffers(model).forEach((name, t) -> t.array().assign(required(arrays, name)));
      }
      Map<String, INDArray> optimizerState = new LinkedHashMap<>();
      arrays.forEach((name, array) -> {
        if (name.startsWith(OPTIMIZER_PREFIX)) {
          optimizerState.put(name.substring(OPTIMIZER_PREFIX.length()), array);
        }
      });
      return new Loaded(arrays, optimizerState);
    }

    private static INDArray required(Map<String, INDArray> arrays, String name) {
      INDArray a = arrays.get(name);
      if (a == null) {
        throw new IllegalStateException("The driver's state lacks '" + name + "'; it holds " + arrays.keySet());
      }
      return a;
    }

    private static void collectTypes(Map<?, ?> tree, List<String> out) {
      if (tree.get("type") instanceof String type) {
        out.add(type);
      }
      if (tree.get("children") instanceof List<?> children) {
        for (Object child : children) {
          if (child instanceof Map<?, ?> map) {
            collectTypes(map, out);
          }
        }
      }
    }

    /** The decoded state, released when the task is done. */
    record Loaded(Map<String, INDArray> arrays, Map<String, INDArray> optimizerState) implements AutoCloseable {
      @Override
      public void close() {
        release(arrays.values());
      }
    }
  }
}
