package dev.regimen.core.export;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.run.RunFolder;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.Transfer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained model as a checkpoint holds it, rebuilt for export: the model from its saved config (with
 * its layer names), built for the input shape it was trained on and holding the checkpoint's
 * parameters and buffers, and the data normalizer fitted on its training set, if it had one.
 *
 * @param checkpoint the checkpoint folder it was loaded from
 * @param model the built model with the trained weights
 * @param inputShape the per-sample input shape
 * @param normalizer the fitted normalizer of the raw features, or null
 * @param state the rest of the checkpoint (epoch, history, seed)
 */
public record TrainedModel(Path checkpoint, Layer model, long[] inputShape, Normalizer normalizer,
    CheckpointState state) {

  public TrainedModel {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(model, "model");
    inputShape = inputShape.clone();
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }

  /**
   * The checkpoint folder that {@code path} names: the path itself if it is a checkpoint; for a run
   * folder (or its {@value RunFolder#CHECKPOINTS}/ folder, or one training's folder in it) the training's
   * {@value Trainer#BEST}/ checkpoint, the epoch its monitored metric liked best, or {@value Trainer#LAST}/
   * when there is no best.
   *
   * @throws ExportException if there is nothing there, no checkpoint in it, or checkpoints of several
   *     trainings (the message lists them, to name one)
   */
  public static Path checkpointOf(Path path) {
    if (CheckpointStore.exists(path)) {
      return path;
    }
    if (!Files.isDirectory(path)) {
      throw new ExportException("No run folder or checkpoint at " + path);
    }
    Path root = Files.isDirectory(path.resolve(RunFolder.CHECKPOINTS)) ? path.resolve(RunFolder.CHECKPOINTS) : path;
    TreeSet<Path> trainings = new TreeSet<>();
    try (Stream<Path> dirs = Files.walk(root, 3)) {
      dirs.filter(d -> isSaved(d)).forEach(d -> trainings.add(d.getParent()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for checkpoints in " + path + ": " + e, e);
    }
    if (trainings.isEmpty()) {
      throw new ExportException("No checkpoint in " + path + ": a run folder holds " + RunFolder.CHECKPOINTS
          + "/<training>/" + Trainer.LAST + "/ once a trainer saved one (rg.trainer({ checkpoint: true }))");
    }
    if (trainings.size() > 1) {
      List<String> names = new ArrayList<>();
      trainings.forEach(t -> names.add(root.relativize(t).toString()));
      throw new ExportException("The run folder " + path + " holds checkpoints of " + trainings.size()
          + " trainings (" + String.join(", ", names) + "); name one, e.g. " + trainings.first().resolve(Trainer.BEST));
    }
    Path training = trainings.first();
    return CheckpointStore.exists(training.resolve(Trainer.BEST)) ? training.resolve(Trainer.BEST)
        : training.resolve(Trainer.LAST);
  }

  private static boolean isSaved(Path dir) {
    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
    return (name.equals(Trainer.BEST) || name.equals(Trainer.LAST)) && CheckpointStore.exists(dir);
  }

  /**
   * Loads a checkpoint folder.
   *
   * @param layers makes each layer of the saved config by its component name (the plugin host's registry,
   *     so that plugin layers are found)
   * @param inputShape the per-sample input shape, or null for the one the checkpoint records
   * @throws ExportException if the checkpoint records no input shape and none is given, or the model does
   *     not build for it
   */
  public static TrainedModel load(Path checkpoint, Function<String, ComponentFactory<Layer>> layers,
      long[] inputShape) {
    Checkpoint saved = CheckpointStore.load(checkpoint);
    LayerConfig config = Transfer.modelConfig(saved, checkpoint);
    Layer model = LayerFactories.fromConfig(config, layers);
    long[] shape = inputShape != null ? inputShape.clone() : recordedInputShape(saved.state(), checkpoint);
    try {
      Layers.build(model, shape, new Rng(saved.state().seed()));
      Transfer.restoreAll(model, saved);
    } catch (IllegalArgumentException e) {
      throw new ExportException("The model of " + checkpoint + " does not take per-sample input "
          + Arrays.toString(shape) + (inputShape != null ? " (--input-shape)" : "") + ": " + e.getMessage(), e);
    }
    Normalizer normalizer = saved.state().normalizer() == null ? null
        : Normalizer.restore(saved.state().normalizer(), saved.normalizerArrays());
    return new TrainedModel(checkpoint, model, shape, normalizer, saved.state());
  }

  private static long[] recordedInputShape(CheckpointState state, Path checkpoint) {
    if (state.extra().get(Trainer.INPUT_SHAPE) instanceof List<?> dims && !dims.isEmpty()
        && dims.stream().allMatch(d -> d instanceof Number)) {
      return dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
    }
    throw new ExportException("The checkpoint " + checkpoint + " does not record the input shape its model was"
        + " trained on (it was saved by an earlier Regimen); give it: --input-shape 64 for 64 features,"
        + " --input-shape 1,28,28 for 28x28 grey images");
  }

  /** The model's per-sample output shape. */
  public long[] outputShape() {
    return model.outputShape(inputShape);
  }

  /** What Regimen computes for raw features {@code [N, ...inputShape]}: normalized, then the model in evaluation mode. */
  public INDArray predict(INDArray rawFeatures) {
    INDArray x = normalizer == null ? rawFeatures : normalizer.apply(rawFeatures);
    return Evaluation.predict(model, x, 256);
  }
}
