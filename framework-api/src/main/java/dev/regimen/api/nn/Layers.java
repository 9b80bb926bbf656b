package dev.regimen.api.nn;

import dev.regimen.api.export.InputMajorWeight;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks a layer tree: names, parameters and buffers with their model-wide names. */
public final class Layers {
  private Layers() {}

  /** Every layer of the tree, containers before their children, in order. */
  public static List<Layer> all(Layer root) {
    List<Layer> out = new ArrayList<>();
    collect(root, out);
    return out;
  }

  private static void collect(Layer layer, List<Layer> out) {
    out.add(layer);
    for (Layer child : layer.children()) {
      collect(child, out);
    }
  }

  /**
   * Names every unnamed layer {@code <type>_<k>} (k counting from 1 per type, in tree order) and
   * checks that names are unique; call once when a model is assembled.
   */
  public static void assignNames(Layer root) {
    Set<String> taken = new HashSet<>();
    for (Layer layer : all(root)) {
      if (layer.name() != null && !taken.add(layer.name())) {
        throw new IllegalArgumentException("Two layers are named '" + layer.name() + "'; layer names must be unique");
      }
    }
    Map<String, Integer> counters = new HashMap<>();
    for (Layer layer : all(root)) {
      if (layer.name() == null) {
        String base = layer.type().replace('.', '_');
        String candidate;
        do {
          candidate = base + "_" + counters.merge(base, 1, Integer::sum);
        } while (!taken.add(candidate));
        layer.assignName(candidate);
      }
    }
  }

  /**
   * Readies a model root: names its layers ({@link #assignNames}) and builds every parameter for a
   * per-sample input shape, each layer with its own random stream forked by name, so that adding a
   * layer does not change the initial weights of the others.
   */
  public static Layer build(Layer root, long[] inputShape, dev.regimen.api.tensor.Rng rng) {
    assignNames(root);
    root.build(inputShape, rng);
    return root;
  }

  /**
   * Every trainable parameter, named {@code <layer>.<local>}, in a stable order. The {@code weight} of
   * an {@link InputMajorWeight} layer has its units on the last axis, every other parameter on axis 0
   * ({@link Parameter#unitAxis()}).
   */
  public static List<Parameter> parameters(Layer root) {
    List<Parameter> out = new ArrayList<>();
    for (Layer layer : all(root)) {
      for (Map.Entry<String, Tensor> e : layer.parameters().entrySet()) {
        Tensor value = e.getValue();
        int unitAxis = layer instanceof InputMajorWeight && e.getKey().equals("weight") ? value.rank() - 1 : 0;
        out.add(new Parameter(layer.name() + "." + e.getKey(), value, layer.isWeight(e.getKey()), unitAxis));
      }
    }
    return out;
  }

  /** Every buffer, named {@code <layer>.<local>}, in a stable order. */
  public static Map<String, Tensor> buffers(Layer root) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Layer layer : all(root)) {
      for (Map.Entry<String, Tensor> e : layer.buffers().entrySet()) {
        out.put(layer.name() + "." + e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The layer with the given name, or {@code null}. */
  public static Layer find(Layer root, String name) {
    for (Layer layer : all(root)) {
      if (name.equals(layer.name())) {
        return layer;
      }
    }
    return null;
  }
}
