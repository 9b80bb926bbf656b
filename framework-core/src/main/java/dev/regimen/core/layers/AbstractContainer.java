package dev.regimen.core.layers;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * The base of layers made of other layers: naming, the build-once rule and the lazy build on the
 * first forward, as {@link dev.regimen.api.nn.AbstractLayer} does for leaves. A container owns no
 * parameters itself; its children's are reached through {@link #children()} (see
 * {@link dev.regimen.api.nn.Layers}). A subclass builds its children in {@link #onBuild} and computes
 * in {@link #call}.
 */
public abstract class AbstractContainer implements Layer {
  private final String type;
  private String name;
  private long[] builtShape;

  protected AbstractContainer(String type) {
    this.type = type;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void assignName(String name) {
    this.name = name;
  }

  @Override
  public final void build(long[] inputShape, Rng rng) {
    if (builtShape != null) {
      if (!Arrays.equals(builtShape, inputShape)) {
        throw new ShapeException(describe() + " was built for input " + Arrays.toString(builtShape)
            + " and cannot take " + Arrays.toString(inputShape));
      }
      return;
    }
    outputShape(inputShape);
    // Parameters and buffers outlive any step, even when a layer is built lazily inside one.
    StepMemory.outside(() -> {
      onBuild(inputShape, rng);
      return null;
    });
    builtShape = inputShape.clone();
  }

  /** Builds the children for this per-sample input shape, each with its own stream ({@link #streamKey}). */
  protected abstract void onBuild(long[] inputShape, Rng rng);

  @Override
  public final boolean isBuilt() {
    return builtShape != null;
  }

  @Override
  public final Tensor forward(Tensor input, ForwardContext ctx) {
    long[] sample = Arrays.copyOfRange(input.shape(), 1, input.rank());
    if (builtShape == null) {
      build(sample, ctx.rng().fork("build:" + (name == null ? type : name)));
    } else if (!Arrays.equals(builtShape, sample)) {
      throw new ShapeException(describe() + " expects input [N, " + Arrays.toString(builtShape).substring(1)
          + " and got " + Arrays.toString(input.shape()));
    }
    return call(input, ctx);
  }

  /** The computation, on a batch whose per-sample shape has been checked. */
  protected abstract Tensor call(Tensor input, ForwardContext ctx);

  /** Containers own no parameters; their children do. */
  @Override
  public final Map<String, Tensor> parameters() {
    return Map.of();
  }

  /** The config: this container's own options (none by default) and its children's configs. */
  @Override
  public LayerConfig config() {
    return new LayerConfig(type, name, Map.of(), children().stream().map(Layer::config).toList());
  }

  /**
   * The name under which a child draws its random stream and records its tap: its name once the model
   * has named it ({@code dense_1}), else its position and type ({@code 0:dense}).
   */
  protected static String streamKey(Layer child, int index) {
    return child.name() != null ? child.name() : index + ":" + child.type();
  }

  /** How messages name this layer: {@code layer 'sequential_1' (sequential)}. */
  protected final String describe() {
    return name == null ? "layer '" + type + "'" : "layer '" + name + "' (" + type + ")";
  }

  @Override
  public String toString() {
    return describe() + " " + children().stream().map(Layer::toString).toList();
  }
}
