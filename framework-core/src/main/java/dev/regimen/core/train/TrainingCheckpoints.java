package dev.regimen.core.train;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.History;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.checkpoint.CheckpointStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a training run into checkpoint arrays and state and back: parameters and buffers under
 * their model-wide names, the optimizer's slots under {@code optimizer.}, the normalizer's arrays
 * under {@code normalizer.}, schedulers' arrays under {@code scheduler.<key>.}, and everything else in
 * {@link CheckpointState}.
 */
final class TrainingCheckpoints {
  private TrainingCheckpoints() {}

  /** Every array a checkpoint of this run holds. */
  static Map<String, INDArray> arrays(Layer model, TrainerConfig config) {
    Map<String, INDArray> arrays = new LinkedHashMap<>(modelArrays(model));
    config.optimizer().state().forEach((k, v) -> arrays.put(CheckpointStore.OPTIMIZER_PREFIX + k, v));
    if (config.normalizer() != null && config.normalizer().isFitted()) {
      config.normalizer().state().forEach((k, v) -> arrays.put(CheckpointStore.NORMALIZER_PREFIX + k, v));
    }
    for (int i = 0; i < config.schedulers().size(); i++) {
      String prefix = schedulerArrayPrefix(i, config.schedulers().get(i));
      config.schedulers().get(i).arrayState().forEach((k, v) -> arrays.put(prefix + k, v));
    }
    return arrays;
  }

  /** Parameters and buffers by model-wide name (the arrays themselves, not copies). */
  static Map<String, INDArray> modelArrays(Layer model) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      arrays.put(p.name(), p.value().array());
    }
    Layers.buffers(model).forEach((name, t) -> arrays.put(name, t.array()));
    return arrays;
  }

  static CheckpointState state(Layer model, TrainerConfig config, int completedEpochs, long batchInEpoch,
      History history, Map<String, Object> extra) {
    Map<String, Map<String, Object>> schedulers = new LinkedHashMap<>();
    for (int i = 0; i < config.schedulers().size(); i++) {
      Scheduler s = config.schedulers().get(i);
      schedulers.put(schedulerKey(i, s), s.state());
    }
    List<Map<String, Double>> epochs = new ArrayList<>();
    for (int e = 0; e < Math.min(completedEpochs, history.epochs()); e++) {
      epochs.add(history.epoch(e));
    }
    return new CheckpointState(
        CheckpointState.FORMAT_VERSION,
        configTree(model.config()),
        config.optimizer().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), // optimizer
        config.optimizer().steps(), // optimizerStep
        config.optimizer().learningRate(),
        completedEpochs, // epoch
        batchInEpoch,
        config.seed(),
        0, // rngPosition: every stream is derived from the seed, the epoch and the batch
        schedulers,
        config.normalizer() == null ? null : config.normalizer().kind(), // normalizer
        epochs, // history
        extra);
  }

  static String schedulerKey(int index, Scheduler s) {
    return index + ":" + s.getClass().getSimpleName();
  }

  private static String schedulerArrayPrefix(int index, Scheduler s) {
    return CheckpointStore.SCHEDULER_PREFIX + schedulerKey(index, s) + ".";
  }

  /** A layer config as a JSON tree: type, name, options, children. */
  static Map<String, Object> configTree(LayerConfig config) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("type", config.type());
    tree.put("name", config.name());
    tree.put("options", new LinkedHashMap<>(config.options()));
    List<Object> children = new ArrayList<>();
    for (LayerConfig child : config.children()) {
      children.add(configTree(child));
    }
    tree.put("children", children);
    return tree;
  }

  /** Puts a checkpoint's optimizer state, schedulers' states and arrays, learning rate and history back into a run. */
  static void restoreTraining(Checkpoint checkpoint, TrainerConfig config, History history) {
    CheckpointState state = checkpoint.state();
    config.optimizer().loadState(checkpoint.optimizerArrays(), state.optimizerStep());
    config.optimizer().setLearningRate(state.learningRate());
    for (int i = 0; i < config.schedulers().size(); i++) {
      Scheduler s = config.schedulers().get(i);
      Map<String, Object> saved = state.schedulers().get(schedulerKey(i, s));
      if (saved == null) {
        throw new IllegalArgumentException("The checkpoint has no state for scheduler " + schedulerKey(i, s)
            + "; it holds " + state.schedulers().keySet() + ". Resume with the schedulers of the original run.");
      }
      s.loadState(saved);
      s.loadArrayState(checkpoint.withPrefix(schedulerArrayPrefix(i, s)));
    }
    for (int e = 0; e < state.history().size(); e++) {
      int epoch = e;
      state.history().get(e).forEach((k, v) -> history.record(epoch, k, v));
    }
  }

  /**
   * Copies saved parameters and buffers into a model by name. With {@code only} null every model
   * array must be in the checkpoint; otherwise only arrays of the named layers are copied (transfer
   * learning). Shapes must match; the error names the array and both shapes.
   */
  static void restoreModel(Layer model, Map<String, INDArray> saved, List<String> only) {
    Map<String, INDArray> target = modelArrays(model);
    List<String> missing = new ArrayList<>();
    int copied = 0;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (Map.Entry<String, INDArray> e : target.entrySet()) {
        String layer = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
        if (only != null && !only.contains(layer)) {
          continue;
        }
        INDArray from = saved.get(e.getKey());
        if (from == null) {
          missing.add(e.getKey());
          continue;
        }
        if (!Arrays.equals(from.shape(), e.getValue().shape())) {
          throw new IllegalArgumentException("Checkpoint array '" + e.getKey() + "' has shape "
              + Arrays.toString(from.shape()) + " but the model's has " + Arrays.toString(e.getValue().shape()));
        }
        e.getValue().assign(from.castTo(e.getValue().dataType()));
        copied++;
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("The checkpoint lacks " + missing + "; it holds "
          + new TreeSet<>(saved.keySet()));
    }
    if (only != null && copied == 0) {
      throw new IllegalArgumentException("No arrays of layers " + only + " were found in the model");
    }
  }
}
