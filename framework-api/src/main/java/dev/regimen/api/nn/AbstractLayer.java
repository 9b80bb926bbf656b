package dev.regimen.api.nn;

import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The base of leaf layers: naming, the build-once rule, parameter and buffer registration, the input
 * shape check and the config. A subclass validates its options in the constructor, creates its
 * parameters in {@link #onBuild}, and computes in {@link #call}.
 */
public abstract class AbstractLayer implements Layer {
  private final String type;
  private final Options options;
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private String name;
  private long[] builtShape;

  protected AbstractLayer(String type, Options options) {
    this.type = type;
    this.options = options;
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

  /** The validated options this layer was made with. */
  protected final Options options() {
    return options;
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

  /** Creates parameters and buffers with {@link #addParameter} and {@link #addBuffer}; nothing by default. */
  protected void onBuild(long[] inputShape, Rng rng) {}

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

  protected final Tensor addParameter(String localName, INDArray initial) {
    Tensor p = Tensor.parameter(initial);
    parameters.put(localName, p);
    return p;
  }

  protected final Tensor addBuffer(String localName, INDArray initial) {
    Tensor b = Tensor.of(initial);
    buffers.put(localName, b);
    return b;
  }

  @Override
  public final Map<String, Tensor> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  @Override
  public final Map<String, Tensor> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  @Override
  public LayerConfig config() {
    return LayerConfig.leaf(type, name, options.asMap());
  }

  /** How messages name this layer: {@code layer 'dense_1' (dense)}. */
  protected final String describe() {
    return name == null ? "layer '" + type + "'" : "layer '" + name + "' (" + type + ")";
  }

  @Override
  public String toString() {
    return describe() + " " + options;
  }
}
