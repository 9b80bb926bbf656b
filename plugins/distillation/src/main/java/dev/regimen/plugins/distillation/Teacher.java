package dev.regimen.plugins.distillation;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.Options;
import dev.regimen.api.host.HostServices;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The fixed, trained model a student learns from: its outputs give the soft targets of knowledge
 * distillation, its intermediate values (taps) the hints of FitNets. It always runs in evaluation mode
 * (running statistics, no dropout) inside a no-grad scope: its weights are never updated and no
 * gradient flows into it; what it returns are constants of the student's graph.
 *
 * <p>A teacher is either a model object (a trained {@link Layer}, as given from Java or a script) or a
 * checkpoint folder ({@code runs/.../checkpoints/best}): its config is rebuilt at once through the
 * host ({@link HostServices#modelFromCheckpoint}, so an unknown layer type fails when the objective is
 * made), and on first use the model is built for the batch's per-sample shape and loaded with every
 * saved parameter and buffer ({@link HostServices#restoreWeights}). A path rebuilds built-in layers
 * only; for a teacher with plugin layers (batch norm, dropout) use {@link #fromCheckpoint(Path,
 * Function)} with the host's registry.
 *
 * <p>The teacher sees the student's batch inputs as they are: both must expect the same input
 * preprocessing (the same normalizer). Inputs are converted to the teacher's floating-point type.
 */
public final class Teacher {
  private final Path checkpoint;
  private final Layer model;

  private Teacher(Path checkpoint, Layer model) {
    this.checkpoint = checkpoint;
    this.model = model;
  }

  /** A trained model object; it must be built (trained) by the time the teacher is first asked. */
  public static Teacher of(Layer model) {
    return new Teacher(null, Objects.requireNonNull(model, "teacher model"));
  }

  /** A checkpoint folder of a model made of built-in layers. */
  public static Teacher fromCheckpoint(Path dir) {
    return fromCheckpoint(dir, HostServices.get()::builtInLayer);
  }

  /**
   * A checkpoint folder, its layers made through {@code factories} (for plugin layers:
   * {@code name -> registry.factory(ComponentKind.LAYER, name)}).
   *
   * @throws IllegalArgumentException if the folder holds no checkpoint or no model config, naming the
   *     folder (and a {@code best/} or {@code last/} inside it, if it holds one)
   */
  public static Teacher fromCheckpoint(Path dir, Function<String, ComponentFactory<Layer>> factories) {
    Objects.requireNonNull(dir, "teacher checkpoint");
    HostServices host = HostServices.get();
    if (!host.isCheckpoint(dir)) {
      String hint = "";
      for (String inside : new String[] {"best", "last"}) {
        if (host.isCheckpoint(dir.resolve(inside))) {
          hint = "; did you mean " + dir.resolve(inside) + "?";
          break;
        }
      }
      throw new IllegalArgumentException("No teacher checkpoint in " + dir + ": it needs "
          + String.join(" and ", host.checkpointFiles()) + hint);
    }
    return new Teacher(dir, host.modelFromCheckpoint(dir, factories));
  }

  /**
   * The teacher an objective's option {@code teacher} names: a {@link Teacher}, a {@link Layer}, or a
   * checkpoint folder as a {@link Path} or a string. Errors name the option and echo the value.
   */
  static Teacher fromOption(Options options, String name) {
    Object value = options.get(name);
    if (value instanceof Teacher teacher) {
      return teacher;
    }
    if (value instanceof Layer layer) {
      return of(layer);
    }
    if (value instanceof Path || value instanceof String) {
      Path dir = value instanceof Path p ? p : Path.of((String) value);
      try {
        return fromCheckpoint(dir);
      } catch (RuntimeException e) {
        throw new ComponentException("Option '" + name + "' of " + options.owner() + ": " + e.getMessage()
            + ". Received: " + name + "=" + describe(value));
      }
    }
    throw new ComponentException("Option '" + name + "' of " + options.owner() + " must be a trained model (a layer)"
        + " or a checkpoint folder (a path). Received: " + name + "=" + describe(value));
  }

  /** The checkpoint folder this teacher comes from, or {@code null} for a model object. */
  public Path checkpoint() {
    return checkpoint;
  }

  /**
   * The model, built (and, from a checkpoint, loaded) for this per-sample input shape.
   *
   * @throws IllegalStateException for a model object that was never built, that is never trained
   */
  public Layer model(long[] sampleShape) {
    if (!model.isBuilt()) {
      if (checkpoint == null) {
        throw new IllegalStateException("The teacher " + model.type() + " '" + model.name() + "' is not built, so it"
            + " was never trained: train it (or load it) before distilling from it");
      }
      // The weights are overwritten at once; the stream only has to exist.
      Layers.build(model, sampleShape, new Rng(0).fork("teacher"));
      HostServices.get().restoreWeights(model, checkpoint);
    } else {
      Layers.assignNames(model);
    }
    return model;
  }

  /** The teacher's output for a batch, in evaluation mode, as a constant of the inputs' type. */
  public Tensor outputs(Tensor inputs) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      Tensor x = inputs.detach();
      Layer m = model(sampleShape(x));
      return m.forward(x.cast(typeOf(m, x.dataType())), ForwardContext.evaluation()).cast(inputs.dataType());
    }
  }

  /**
   * The value the teacher records under {@code tap} for a batch (a layer's output; a sequential model
   * records every child's under the child's name), in evaluation mode, as a constant.
   *
   * @throws IllegalArgumentException if the teacher records no such tap, listing those it records
   */
  public Tensor tap(Tensor inputs, String tap) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      Tensor x = inputs.detach();
      Layer m = model(sampleShape(x));
      ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
      m.forward(x.cast(typeOf(m, x.dataType())), ctx);
      return requireTap(ctx.taps(), tap, "the teacher");
    }
  }

  /** The named tap, or an error listing the taps there are. */
  static Tensor requireTap(Map<String, Tensor> taps, String tap, String whose) {
    Tensor value = taps.get(tap);
    if (value == null) {
      throw new IllegalArgumentException(whose + " records no tap '" + tap + "'; it records: "
          + (taps.isEmpty() ? "none" : String.join(", ", taps.keySet())));
    }
    return value;
  }

  static long[] sampleShape(Tensor batch) {
    return Arrays.copyOfRange(batch.shape(), 1, batch.rank());
  }

  /** The type of the model's first parameter (its weights' type), or {@code fallback} if it has none. */
  static DataType typeOf(Layer model, DataType fallback) {
    return Layers.parameters(model).stream().findFirst().map(p -> p.value().dataType()).orElse(fallback);
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  @Override
  public String toString() {
    return checkpoint != null ? "teacher from " + checkpoint : "teacher " + model.type() + " '" + model.name() + "'";
  }
}
