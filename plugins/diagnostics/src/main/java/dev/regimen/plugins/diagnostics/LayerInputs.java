package dev.regimen.plugins.diagnostics;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a layer's input among the taps of one forward pass.
 *
 * <p>The built-in {@code sequential} records each child's output under the child's name, and no
 * layer records its input. So the input of child i of a sequential is the tap of child i - 1, and the
 * input of child 0 is the sequential's own input, found the same way one level up; the block of a
 * {@code residual} gets the residual's input; the model's root gets the probe batch. That covers any
 * nesting of sequentials and residuals.
 *
 * <p>Limitation: other containers (multi-head models, or a plugin's own) do not say how they wire
 * their children, so a layer whose input passes through one cannot be located; {@link
 * #unknownContainer} names the container so that the caller can say so.
 */
final class LayerInputs {
  static final String SEQUENTIAL = "sequential";
  static final String RESIDUAL = "residual";

  private final Layer root;
  private final Map<Layer, Layer> parents = new IdentityHashMap<>();
  private final Map<Layer, Integer> positions = new IdentityHashMap<>();

  LayerInputs(Layer root) {
    this.root = root;
    for (Layer layer : Layers.all(root)) {
      List<Layer> children = layer.children();
      for (int i = 0; i < children.size(); i++) {
        parents.put(children.get(i), layer);
        positions.put(children.get(i), i);
      }
    }
  }

  /**
   * The input {@code layer} saw in the pass that recorded {@code taps} on {@code modelInput}, or
   * {@code null} if it cannot be located (see {@link #unknownContainer}).
   */
  Tensor inputOf(Layer layer, Tensor modelInput, Map<String, Tensor> taps) {
    Layer parent = parents.get(layer);
    if (parent == null) {
      return layer == root ? modelInput : null;
    }
    if (parent.type().equals(SEQUENTIAL)) {
      int i = positions.get(layer);
      return i > 0 ? taps.get(parent.children().get(i - 1).name()) : inputOf(parent, modelInput, taps);
    }
    if (parent.type().equals(RESIDUAL)) {
      return inputOf(parent, modelInput, taps);
    }
    return null;
  }

  /** The innermost container between {@code layer} and its input whose wiring is unknown, or {@code null}. */
  Layer unknownContainer(Layer layer) {
    Layer parent = parents.get(layer);
    if (parent == null) {
      return null;
    }
    if (parent.type().equals(SEQUENTIAL)) {
      return positions.get(layer) > 0 ? null : unknownContainer(parent);
    }
    if (parent.type().equals(RESIDUAL)) {
      return unknownContainer(parent);
    }
    return parent;
  }
}
