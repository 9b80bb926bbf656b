package dev.regimen.core.layers;

import dev.regimen.api.nn.AbstractBuildOnceLayer;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;

/**
 * The base of layers made of other layers, on top of the naming, build-once rule and lazy build that
 * every layer shares ({@link AbstractBuildOnceLayer}). A container owns no parameters itself; its
 * children's are reached through {@link #children()} (see {@link dev.regimen.api.nn.Layers}). A
 * subclass builds its children in {@link #onBuild} and computes in {@link #call}.
 */
public abstract class AbstractContainer extends AbstractBuildOnceLayer {

  protected AbstractContainer(String type) {
    super(type);
  }

  /** Builds the children for this per-sample input shape, each with its own stream ({@link #streamKey}). */
  @Override
  protected abstract void onBuild(long[] inputShape, Rng rng);

  /** Containers own no parameters; their children do. */
  @Override
  public final Map<String, Tensor> parameters() {
    return Map.of();
  }

  /** The config: this container's own options (none by default) and its children's configs. */
  @Override
  public LayerConfig config() {
    return new LayerConfig(type(), name(), Map.of(), children().stream().map(Layer::config).toList());
  }

  /**
   * The name under which a child draws its random stream and records its tap: its name once the model
   * has named it ({@code dense_1}), else its position and type ({@code 0:dense}).
   */
  protected static String streamKey(Layer child, int index) {
    return child.name() != null ? child.name() : index + ":" + child.type();
  }

  @Override
  public String toString() {
    return describe() + " " + children().stream().map(Layer::toString).toList();
  }
}
