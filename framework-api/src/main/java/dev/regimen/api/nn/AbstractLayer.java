package dev.regimen.api.nn;

import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The base of leaf layers: the options they were made with, parameter and buffer registration and
 * the config, on top of the naming, build-once rule and input shape check that every layer shares
 * ({@link AbstractBuildOnceLayer}). A subclass validates its options in the constructor, creates its
 * parameters in {@link #onBuild}, and computes in {@link #call}.
 */
public abstract class AbstractLayer extends AbstractBuildOnceLayer {
  private final Options options;
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();

  protected AbstractLayer(String type, Options options) {
    super(type);
    this.options = options;
  }

  /** The validated options this layer was made with. */
  protected final Options options() {
    return options;
  }

  /** Creates parameters and buffers with {@link #addParameter} and {@link #addBuffer}; nothing by default. */
  @Override
  protected void onBuild(long[] inputShape, Rng rng) {}

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
    return LayerConfig.leaf(type(), name(), options.asMap());
  }

  @Override
  public String toString() {
    return describe() + " " + options;
  }
}
