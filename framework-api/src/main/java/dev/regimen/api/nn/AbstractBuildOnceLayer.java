package dev.regimen.api.nn;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;

/**
 * What every layer does the same way, leaf or container: its type and its model-wide name, the
 * build-once rule (a layer is built for one per-sample input shape, and building it again for another
 * is an error), the lazy build on the first forward, and the check of each batch's per-sample shape
 * against the one it was built for. {@link AbstractLayer} (leaves, with options, parameters and
 * buffers) and the core's containers (children) extend it; a subclass creates its state in
 * {@link #onBuild} and computes in {@link #call}.
 */
public abstract class AbstractBuildOnceLayer implements Layer {
  private final String type;
  private String name;
  private long[] builtShape;

  protected AbstractBuildOnceLayer(String type) {
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

  /** Creates what the layer needs for this per-sample input shape, once: parameters and buffers, or children. */
  protected abstract void onBuild(long[] inputShape, Rng rng);

  @Override
  public final boolean isBuilt() {
    return builtShape != null;
  }

  /** The per-sample input shape this layer was built for, or {@code null}. */
  protected final long[] builtShape() {
    return builtShape == null ? null : builtShape.clone();
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

  /** How messages name this layer: {@code layer 'dense_1' (dense)}, or {@code layer 'dense'} before it is named. */
  protected final String describe() {
    return name == null ? "layer '" + type + "'" : "layer '" + name + "' (" + type + ")";
  }
}
