package dev.regimen.api.host;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.TrainingSetup;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What the running framework (the host) does for a plugin that a plugin cannot do from the API
 * alone: train a model with the host's trainer, and save a model as a checkpoint folder and load it
 * back. A plugin
 * depends on framework-api only; the host's implementation (framework-core's) is found at run time
 * through {@link #get()}, so a plugin never names the core's trainer, checkpoint store or layer
 * factories.
 *
 * <pre>{@code
 * HostServices host = HostServices.get();
 * Layer teacher = host.modelFromCheckpoint(dir, host::builtInLayer);   // unbuilt, with its names
 * Layers.build(teacher, sampleShape, rng);
 * host.restoreWeights(teacher, dir);                                   // every parameter and buffer
 * host.saveModel(student, otherDir);                                   // config, parameters, buffers
 * host.newTraining().objective(loss).optimizer(adam).epochs(5).fit(model, train, validation);
 * }</pre>
 *
 * <p>Context that belongs to one training run stays with the SPIs that get it (the batch and taps in
 * {@link dev.regimen.api.train.ObjectiveContext}, the running training in {@link
 * dev.regimen.api.train.TrainingControl}); this interface is for what does not depend on a run.
 */
public interface HostServices {

  /**
   * The host's services: the one implementation registered under {@code
   * META-INF/services/dev.regimen.api.host.HostServices} on the class path of framework-api (the
   * application's, which a plugin's class loader delegates to). Looked up once.
   *
   * @throws IllegalStateException if no host is on the class path (framework-api alone, as in a
   *     plugin's tests without framework-core in test scope), or more than one
   */
  static HostServices get() {
    return HostLookup.get();
  }

  /** A fresh training setup with the trainer's defaults (10 epochs, batches of 32, seed 42). */
  TrainingSetup newTraining();

  /**
   * The factory of the host's built-in layer with this name, for {@link #modelFromCheckpoint} when a
   * model holds built-in layers only.
   *
   * @throws dev.regimen.api.component.ComponentException for an unknown name, suggesting close ones
   */
  ComponentFactory<Layer> builtInLayer(String name);

  /** The names of the files a checkpoint folder holds, for messages ({@code weights.safetensors}, ...). */
  List<String> checkpointFiles();

  /** Whether {@code dir} looks like a checkpoint folder (all of {@link #checkpointFiles()} are there). */
  boolean isCheckpoint(Path dir);

  /**
   * The model a checkpoint was saved from, rebuilt from its config with its layer names, unbuilt and
   * without weights: build it for its input shape, then {@link #restoreWeights}. Each layer is made
   * through {@code layers} by its component name ({@code host::builtInLayer}, or a registry that
   * knows plugin layers), so an unknown layer fails here, before any data is seen.
   *
   * @throws IllegalArgumentException if the checkpoint holds no model config
   * @throws RuntimeException the host's checkpoint error, naming the path, if the folder is not a
   *     readable checkpoint (check {@link #isCheckpoint} first for a message of one's own)
   */
  Layer modelFromCheckpoint(Path dir, Function<String, ComponentFactory<Layer>> layers);

  /**
   * Saves a built model as the checkpoint folder {@code dir}, replacing any previous one atomically:
   * its config (layers, names, options) and every parameter and buffer, in the files and the format
   * the trainer's checkpoints have, without optimizer or training state. {@link #modelFromCheckpoint}
   * and {@link #restoreWeights} read it back, and so do {@code regimen export} and transfer learning.
   * The test kit's layer contract saves and restores each layer this way.
   *
   * @throws IllegalStateException if the model is not built
   * @throws RuntimeException the host's checkpoint error, naming the path, if an array or the config
   *     cannot be stored or the file system fails
   */
  void saveModel(Layer model, Path dir);

  /**
   * Copies every parameter and buffer (running statistics) saved in the checkpoint into the built
   * {@code model}, by model-wide name, converted to the model's data type; optimizer state is not
   * touched. Everything is checked before anything is copied.
   *
   * @throws IllegalStateException if the model is not built
   * @throws IllegalArgumentException for a layer, an array or a shape the checkpoint does not match
   * @throws RuntimeException the host's checkpoint error, naming the path, for an unreadable checkpoint
   */
  void restoreWeights(Layer model, Path dir);
}
