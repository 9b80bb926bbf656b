package dev.regimen.core.train;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.checkpoint.CheckpointStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transfer learning: starting a model from the weights of another model trained on a related task
 * instead of from random ones. Yosinski et al. 2014 ("How transferable are features in deep neural
 * networks?") found that the first layers learn general features that transfer well between tasks,
 * that transfer gets worse the further up the network one copies (the features become specific to
 * the original task), and that copied layers fine-tuned on the new task still beat random
 * initialization. Hence the usual recipe, which these methods and {@link TrainerConfig.Builder#freeze}
 * / {@link TrainerConfig.Builder#unfreeze} support:
 *
 * <ol>
 *   <li>build the new model (its parameters exist only once the input shape is known);
 *   <li>copy the lower layers from a checkpoint, by name ({@link #initialize}) when both models name
 *       them the same, or by position ({@link #initializeFirst}) when the names differ;
 *   <li>train with the copied layers frozen, so the new head first fits the fixed features;
 *   <li>optionally unfreeze them and fine-tune everything with a smaller learning rate.
 * </ol>
 *
 * <p>Both methods copy parameters and buffers (running statistics), never optimizer state, and
 * check everything before copying anything: an error leaves the model untouched. Arrays are
 * converted to the model's data type. {@link #saveModel} writes a model alone as a checkpoint that
 * they (and {@link #modelConfig}) read.
 */
public final class Transfer {
  private static final Logger LOG = LogManager.getLogger(Transfer.class);

  private Transfer() {}

  /**
   * Copies the parameters and buffers of the named layers from a checkpoint into a built model, by
   * model-wide name ({@code dense_1.weight}). Naming a container copies every layer inside it. Each
   * name must exist in the model and in the checkpoint; the error lists the layers of both. Every
   * array copied must have the same shape in both.
   *
   * @param checkpoint a checkpoint folder ({@code runs/.../checkpoints/best})
   * @return model array name to checkpoint array name (the same here), in model order
   * @throws IllegalStateException if the model is not built yet
   * @throws IllegalArgumentException for an unknown layer, a missing array or a shape mismatch
   */
  public static Map<String, String> initialize(Layer model, Path checkpoint, String... layerNames) {
    requireBuilt(model, "initialize");
    if (layerNames.length == 0) {
      throw new IllegalArgumentException("Transfer.initialize needs at least one layer name; to copy the first "
          + "layers whatever their names, use initializeFirst(model, checkpoint, k)");
    }
    Checkpoint loaded = CheckpointStore.load(checkpoint);
    Map<String, INDArray> saved = loaded.modelArrays();
    Set<String> savedLayers = checkpointLayerNames(loaded);
    List<String> modelLayers = Layers.all(model).stream().map(Layer::name).toList();

    List<String> problems = new ArrayList<>();
    List<String> layers = new ArrayList<>();
    for (String name : layerNames) {
      Layer layer = Layers.find(model, name);
      if (layer == null) {
        problems.add("the model has no layer '" + name + "'");
      }
      if (!savedLayers.contains(name)) {
        problems.add("the checkpoint has no layer '" + name + "'");
      }
      if (layer != null) {
        for (Layer inside : Layers.all(layer)) {
          if (!layers.contains(inside.name())) {
            layers.add(inside.name());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot initialize " + Arrays.toString(layerNames) + " from " + checkpoint
          + ": " + String.join("; ", problems) + ". Model layers: " + String.join(", ", modelLayers)
          + ". Checkpoint layers: " + String.join(", ", savedLayers));
    }

    Map<String, String> copies = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : TrainingCheckpoints.modelArrays(model).entrySet()) {
      if (!layers.contains(layerOf(e.getKey()))) {
        continue;
      }
      INDArray from = saved.get(e.getKey());
      if (from == null) {
        problems.add("the checkpoint lacks array '" + e.getKey() + "'");
      } else if (!Arrays.equals(from.shape(), e.getValue().shape())) {
        problems.add("array '" + e.getKey() + "' has shape " + Arrays.toString(e.getValue().shape())
            + " in the model and " + Arrays.toString(from.shape()) + " in the checkpoint");
      }
      copies.put(e.getKey(), e.getKey());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot initialize " + Arrays.toString(layerNames) + " from " + checkpoint
          + ": " + String.join("; ", problems) + ". Checkpoint arrays of these layers: " + savedArraysOf(saved, layers));
    }
    if (copies.isEmpty()) {
      throw new IllegalArgumentException("Cannot initialize " + Arrays.toString(layerNames) + " from " + checkpoint
          + ": these layers hold no parameters or buffers");
    }
    TrainingCheckpoints.restoreModel(model, saved, layers);
    LOG.info("Initialized {} arrays of {} from {}", copies.size(), Arrays.toString(layerNames), checkpoint);
    return copies;
  }

  /**
   * Copies the first {@code k} parameterized leaf layers of a checkpoint's model into the first
   * {@code k} parameterized leaf layers of a built model, by position: the i-th layer that holds
   * parameters or buffers in the model (in tree order, containers skipped) takes the arrays of the
   * i-th such layer of the checkpoint's model (walking its saved config tree the same way). Names may
   * differ between the two models, as may the containers around the layers; within a pair the local
   * array names ({@code weight}, {@code bias}) must agree and every shape must match; errors name both
   * layers and both shapes.
   *
   * @param k how many layers to copy, at least 1
   * @return model array name to checkpoint array name, in model order ({@code dense_1.weight ->
   *     encoder_1.weight})
   * @throws IllegalStateException if the model is not built yet
   * @throws IllegalArgumentException if either model has fewer than k such layers, the checkpoint has
   *     no model config, or a pair does not match
   */
  public static Map<String, String> initializeFirst(Layer model, Path checkpoint, int k) {
    requireBuilt(model, "initializeFirst");
    if (k < 1) {
      throw new IllegalArgumentException("Transfer.initializeFirst copies at least one layer. Received: k=" + k);
    }
    Checkpoint loaded = CheckpointStore.load(checkpoint);
    Map<String, INDArray> saved = loaded.modelArrays();
    if (loaded.state().modelConfig().isEmpty()) {
      throw new IllegalArgumentException("The checkpoint " + checkpoint + " holds no model config, so its layers have "
          + "no order; use Transfer.initialize(model, checkpoint, names) to copy by name");
    }

    // The model's side: leaves with arrays, each with its arrays by local name.
    List<Layer> modelLeaves = new ArrayList<>();
    for (Layer layer : Layers.all(model)) {
      if (layer.children().isEmpty() && !(layer.parameters().isEmpty() && layer.buffers().isEmpty())) {
        modelLeaves.add(layer);
      }
    }
    // The checkpoint's side: leaves of the config tree, in the same pre-order, that have arrays.
    Map<String, Map<String, INDArray>> byLayer = new LinkedHashMap<>();
    saved.forEach((name, array) ->
        byLayer.computeIfAbsent(layerOf(name), x -> new LinkedHashMap<>()).put(name.substring(name.lastIndexOf('.') + 1),
            array));
    List<String[]> savedLeaves = new ArrayList<>();
    collectLeaves(loaded.state().modelConfig(), savedLeaves);
    savedLeaves.removeIf(leaf -> !byLayer.containsKey(leaf[0]));

    if (k > modelLeaves.size() || k > savedLeaves.size()) {
      throw new IllegalArgumentException("Cannot copy the first " + k + " layers from " + checkpoint + ": the model has "
          + modelLeaves.size() + " layers with parameters " + modelLeaves.stream().map(l -> l.name() + " (" + l.type()
          + ")").toList() + " and the checkpoint " + savedLeaves.size() + " "
          + savedLeaves.stream().map(l -> l[0] + " (" + l[1] + ")").toList());
    }

    List<String> problems = new ArrayList<>();
    List<INDArray[]> targets = new ArrayList<>(); // {model array, checkpoint array}; INDArray equality is by value
    Map<String, String> copies = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      Layer layer = modelLeaves.get(i);
      String from = savedLeaves.get(i)[0];
      Map<String, Tensor> own = new LinkedHashMap<>(layer.parameters());
      own.putAll(layer.buffers());
      Map<String, INDArray> theirs = byLayer.get(from);
      String pair = "layer " + (i + 1) + ", model '" + layer.name() + "' (" + layer.type() + ") and checkpoint '" + from
          + "' (" + savedLeaves.get(i)[1] + ")";
      if (!own.keySet().equals(theirs.keySet())) {
        problems.add(pair + " hold different arrays: " + own.keySet() + " and " + theirs.keySet());
        continue;
      }
      for (Map.Entry<String, Tensor> e : own.entrySet()) {
        INDArray source = theirs.get(e.getKey());
        String to = layer.name() + "." + e.getKey();
        String fromName = from + "." + e.getKey();
        if (!Arrays.equals(source.shape(), e.getValue().shape())) {
          problems.add(pair + ": model array '" + to + "' has shape " + Arrays.toString(e.getValue().shape())
              + " but checkpoint array '" + fromName + "' has " + Arrays.toString(source.shape()));
        } else {
          targets.add(new INDArray[] {e.getValue().array(), source});
          copies.put(to, fromName);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot copy the first " + k + " layers from " + checkpoint + ": "
          + String.join("; ", problems));
    }
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (INDArray[] pair : targets) {
        pair[0].assign(pair[1].castTo(pair[0].dataType()));
      }
    }
    LOG.info("Initialized the first {} layers from {}: {}", k, checkpoint, copies);
    return copies;
  }

  /**
   * The config of the model a checkpoint was saved from, rebuilt from its JSON tree; {@code
   * LayerFactories.fromConfig(Transfer.modelConfig(dir))} makes the same model (without weights), with
   * the same layer names.
   *
   * @throws IllegalArgumentException if the checkpoint holds no model config
   */
  public static LayerConfig modelConfig(Path checkpoint) {
    return modelConfig(CheckpointStore.load(checkpoint), checkpoint);
  }

  /**
   * As {@link #modelConfig(Path)}, for a checkpoint already loaded from {@code dir} (named in the error).
   *
   * @throws IllegalArgumentException if the checkpoint holds no model config
   */
  public static LayerConfig modelConfig(Checkpoint checkpoint, Path dir) {
    Map<String, Object> tree = checkpoint.state().modelConfig();
    if (tree.isEmpty()) {
      throw new IllegalArgumentException("The checkpoint " + dir + " holds no model config");
    }
    return fromTree(tree);
  }

  /**
   * A model config from its JSON tree as a checkpoint saves it ({@code type}, {@code name}, {@code options},
   * {@code children}): how a distributed training's workers make the driver's model.
   */
  public static LayerConfig modelConfig(Map<String, Object> tree) {
    return fromTree(tree);
  }

  /** The JSON tree of a model config, as a checkpoint saves it; {@link #modelConfig(Map)} reads it back. */
  public static Map<String, Object> configTree(LayerConfig config) {
    return TrainingCheckpoints.configTree(config);
  }

  /**
   * Copies every parameter and buffer of a loaded checkpoint into a built model of the same config (the
   * model it was saved from, rebuilt), by model-wide name; optimizer state is left out. Every array of the
   * model must be in the checkpoint with the same shape; nothing is copied otherwise.
   *
   * @throws IllegalStateException if the model is not built yet
   * @throws IllegalArgumentException for a missing array or a shape mismatch, naming it
   */
  public static void restoreAll(Layer model, Checkpoint checkpoint) {
    requireBuilt(model, "restoreAll");
    TrainingCheckpoints.restoreModel(model, checkpoint.modelArrays(), null);
  }

  /**
   * Saves a built model alone as the checkpoint folder {@code dir} (atomically, replacing any previous
   * one): its config tree and every parameter and buffer by model-wide name, as the trainer's
   * checkpoints hold them, with no optimizer, schedulers, normalizer or history (epoch 0).
   * {@link #modelConfig}, {@link #restoreAll} and {@link #initialize} read it as they read the
   * trainer's; plugins reach it as {@code HostServices.saveModel}.
   *
   * @throws IllegalStateException if the model is not built yet
   * @throws dev.regimen.core.checkpoint.CheckpointException if an array or the config cannot be stored,
   *     or the file system fails, naming the folder
   */
  public static void saveModel(Layer model, Path dir) {
    requireBuilt(model, "saveModel");
    CheckpointState state = new CheckpointState(
        CheckpointState.FORMAT_VERSION,
        TrainingCheckpoints.configTree(model.config()),
        null, // optimizer: none
        0, // optimizerStep
        0, // learningRate
        0, // epoch
        0, // batchInEpoch
        0, // seed
        0, // rngPosition
        null, // schedulers
        null, // normalizer
        null, // history
        null); // extra
    CheckpointStore.save(dir, TrainingCheckpoints.modelArrays(model), state);
  }

  @SuppressWarnings("unchecked")
  private static LayerConfig fromTree(Map<String, Object> tree) {
    Map<String, Object> options = new LinkedHashMap<>();
    Object rawOptions = tree.get("options");
    if (rawOptions instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if (value != null) {
          options.put((String) key, value);
        }
      });
    }
    List<LayerConfig> children = new ArrayList<>();
    if (tree.get("children") instanceof List<?> list) {
      for (Object child : list) {
        children.add(fromTree((Map<String, Object>) child));
      }
    }
    return new LayerConfig((String) tree.get("type"), (String) tree.get("name"), options, children);
  }

  /** Every layer name of the checkpoint's config tree, plus the layer part of every array name. */
  private static Set<String> checkpointLayerNames(Checkpoint checkpoint) {
    Set<String> names = new LinkedHashSet<>();
    collectNames(checkpoint.state().modelConfig(), names);
    checkpoint.modelArrays().keySet().forEach(name -> names.add(layerOf(name)));
    return names;
  }

  private static void collectNames(Map<?, ?> tree, Set<String> out) {
    if (tree.get("name") instanceof String name) {
      out.add(name);
    }
    if (tree.get("children") instanceof List<?> children) {
      for (Object child : children) {
        if (child instanceof Map<?, ?> map) {
          collectNames(map, out);
        }
      }
    }
  }

  /** The leaves of a config tree in pre-order, as {name, type}. */
  private static void collectLeaves(Map<?, ?> tree, List<String[]> out) {
    List<?> children = tree.get("children") instanceof List<?> list ? list : List.of();
    if (children.isEmpty()) {
      if (tree.get("name") instanceof String name) {
        out.add(new String[] {name, Objects.toString(tree.get("type"))});
      }
      return;
    }
    for (Object child : children) {
      if (child instanceof Map<?, ?> map) {
        collectLeaves(map, out);
      }
    }
  }

  private static String savedArraysOf(Map<String, INDArray> saved, List<String> layers) {
    List<String> out = new ArrayList<>();
    saved.forEach((name, array) -> {
      if (layers.contains(layerOf(name))) {
        out.add(name + " " + Arrays.toString(array.shape()));
      }
    });
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  private static String layerOf(String arrayName) {
    int dot = arrayName.lastIndexOf('.');
    return dot < 0 ? arrayName : arrayName.substring(0, dot);
  }

  /**
   * Parameters exist only once the input shape is known, so copying into an unbuilt model has nothing
   * to copy into; names the layers too.
   */
  private static void requireBuilt(Layer model, String method) {
    Objects.requireNonNull(model, "model");
    if (!model.isBuilt()) {
      throw new IllegalStateException("Transfer." + method + " needs a built model: a layer creates its parameters "
          + "only once it knows its input shape. Call Layers.build(model, inputShape, rng) first (for example with "
          + "dataset.sampleShape()); Trainer.fit then keeps the copied weights.");
    }
    Layers.assignNames(model);
  }
}
