package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shared trunk with named heads, the architecture of multi-task learning with hard parameter
 * sharing (Caruana 1997, "Multitask Learning"): every task reads the same representation t =
 * trunk(x), each head h maps it to its own output y_h = head_h(t), and the layer returns the heads'
 * outputs side by side, y = [y_1 | y_2 | ... ] (concatenated along axis 1). The trunk is trained by
 * the sum of every task's gradient, which is what lets related tasks regularize each other.
 *
 * <p>Each head's per-sample output must be a vector [d_h] (a dense layer, or a flatten at the end);
 * shape inference fails, naming the head, otherwise. {@link #headSlices()} says which columns
 * [start, end) of y belong to which head; {@link dev.regimen.core.multitask.MultiTaskObjective}
 * uses it to give each head its own loss and weight.
 *
 * <p><b>Names.</b> Head names are the keys of the map given to the constructor, in its order (use a
 * {@link LinkedHashMap}); they must start with a letter and hold only letters, digits and
 * underscores, since they also name metrics ({@code digit_accuracy}). A head layer that has no name
 * yet is named {@code head_<name>} by the constructor, so its parameters get stable model-wide names
 * such as {@code head_digit.weight} that do not depend on how many layers of its type the model has
 * (checkpoints, {@code freeze("head_digit")}, transfer by name). A head layer already named keeps
 * its name. The trunk is named like any layer ({@code dense_1}, {@code sequential_1}).
 *
 * <p><b>Config.</b> The children are the trunk, then the heads in order; option {@code heads} lists
 * the head names in the same order. Head names are an option rather than the head layers' names
 * because a layer named by the user need not carry its head's name.
 *
 * <p>By name: option {@code trunk} (a layer, or a list of layers for a {@code sequential}) and option
 * {@code heads}, a map from head name to a layer or a list of layers.
 */
public final class MultiHead extends AbstractContainer implements OnnxLayer {
  public static final String NAME = "multi_head";

  /** The name prefix given to head layers that have no name of their own. */
  public static final String HEAD_PREFIX = "head_";

  private static final Pattern HEAD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** The columns [start, end) of the layer's output (or of a target) that belong to one head. */
  public record Slice(long start, long end) {
    public Slice {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("A slice needs 0 <= start < end. Received: [" + start + ", " + end + ")");
      }
    }

    /** The number of columns, end - start. */
    public long width() {
      return end - start;
    }

    @Override
    public String toString() {
      return "[" + start + ", " + end + ")";
    }
  }

  private final Layer trunk;
  private final Map<String, Layer> heads;
  private Map<String, Slice> slices;

  /**
   * A multi-head layer from a trunk and heads by name, in the map's order.
   *
   * @throws ComponentException for no heads, a bad head name, a null layer, or one layer object used
   *     twice
   */
  public MultiHead(Layer trunk, Map<String, ? extends Layer> heads) {
    super(NAME);
    if (trunk == null) {
      throw new ComponentException("layer 'multi_head' needs a trunk. Received: trunk=null");
    }
    if (heads == null || heads.isEmpty()) {
      throw new ComponentException("layer 'multi_head' needs at least one head. Received: heads=" + heads);
    }
    Map<Layer, String> seen = new IdentityHashMap<>();
    seen.put(trunk, "the trunk");
    Map<String, Layer> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Layer> e : heads.entrySet()) {
      String head = e.getKey();
      if (head == null || !HEAD_NAME.matcher(head).matches()) {
        throw new ComponentException("layer 'multi_head': head name '" + head
            + "' must start with a letter and hold only letters, digits and underscores");
      }
      Layer layer = e.getValue();
      if (layer == null) {
        throw new ComponentException("layer 'multi_head': head '" + head + "' is null");
      }
      String previous = seen.putIfAbsent(layer, "head '" + head + "'");
      if (previous != null) {
        throw new ComponentException("layer 'multi_head': head '" + head + "' is the same layer object as "
            + previous + "; make a new layer for each");
      }
      copy.put(head, layer);
    }
    this.trunk = trunk;
    this.heads = Collections.unmodifiableMap(copy);
    for (Map.Entry<String, Layer> e : this.heads.entrySet()) {
      if (e.getValue().name() == null) {
        e.getValue().assignName(HEAD_PREFIX + e.getKey());
      }
    }
  }

  /** The shared trunk. */
  /** The trunk, each head on its output, and the heads' outputs concatenated along axis 1. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    String shared = graph.layer(trunk, input, inputShape);
    long[] sharedShape = trunk.outputShape(inputShape);
    List<String> outputs = new ArrayList<>();
    for (Layer head : heads.values()) {
      outputs.add(graph.layer(head, shared, sharedShape));
    }
    return graph.node("Concat", outputs, Map.of("axis", 1));
  }

  public Layer trunk() {
    return trunk;
  }

  /** The heads by name, in order (unmodifiable). */
  public Map<String, Layer> heads() {
    return heads;
  }

  /** The head names, in order. */
  public List<String> headNames() {
    return List.copyOf(heads.keySet());
  }

  /** The head with this name; for an unknown one the error lists the heads. */
  public Layer head(String name) {
    Layer head = heads.get(name);
    if (head == null) {
      throw new IllegalArgumentException(describe() + " has no head '" + name + "'. Heads: "
          + String.join(", ", heads.keySet()));
    }
    return head;
  }

  @Override
  public List<Layer> children() {
    List<Layer> out = new ArrayList<>(heads.size() + 1);
    out.add(trunk);
    out.addAll(heads.values());
    return Collections.unmodifiableList(out);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long total = 0;
    for (Slice s : slicesFor(inputShape).values()) {
      total += s.width();
    }
    return new long[] {total};
  }

  /**
   * Which output columns [start, end) belong to which head, in head order; known once the layer is
   * built (by {@code Layers.build}, the trainer, or a first forward pass).
   *
   * @throws IllegalStateException before the build, saying so
   */
  public Map<String, Slice> headSlices() {
    if (slices == null) {
      throw new IllegalStateException(describe() + " is not built yet, so its heads' output widths are unknown; "
          + "build the model (Layers.build, Trainer.fit or a first forward pass), or call headSlices(inputShape)");
    }
    return slices;
  }

  /** Which output columns belong to which head for this per-sample input shape, without building. */
  public Map<String, Slice> headSlices(long[] inputShape) {
    return slicesFor(inputShape);
  }

  private Map<String, Slice> slicesFor(long[] inputShape) {
    long[] shared = trunkShape(inputShape);
    Map<String, Slice> out = new LinkedHashMap<>();
    long start = 0;
    for (Map.Entry<String, Layer> e : heads.entrySet()) {
      long[] shape;
      try {
        shape = e.getValue().outputShape(shared);
      } catch (ShapeException ex) {
        throw new ShapeException(describe() + ", head '" + e.getKey() + "' on the trunk's output "
            + Arrays.toString(shared) + ": " + ex.getMessage());
      }
      if (shape.length != 1) {
        throw new ShapeException(describe() + ": head '" + e.getKey() + "' gives per-sample output "
            + Arrays.toString(shape) + "; every head must give a vector [d] so the heads can be concatenated "
            + "(end the head with a flatten or a dense layer)");
      }
      out.put(e.getKey(), new Slice(start, start + shape[0]));
      start += shape[0];
    }
    return Collections.unmodifiableMap(out);
  }

  private long[] trunkShape(long[] inputShape) {
    try {
      return trunk.outputShape(inputShape);
    } catch (ShapeException e) {
      throw new ShapeException(describe() + ", its trunk: " + e.getMessage());
    }
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    trunk.build(inputShape, rng.fork(streamKey(trunk, 0)));
    long[] shared = trunk.outputShape(inputShape);
    int i = 1;
    for (Layer head : heads.values()) {
      head.build(shared, rng.fork(streamKey(head, i++)));
    }
    slices = slicesFor(inputShape);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    Tensor shared = trunk.forward(input, ctx);
    if (ctx.recordsTaps()) {
      ctx.tap(streamKey(trunk, 0), shared);
    }
    List<Tensor> outputs = new ArrayList<>(heads.size());
    int i = 1;
    for (Map.Entry<String, Layer> e : heads.entrySet()) {
      Layer head = e.getValue();
      Tensor y = head.forward(shared, ctx);
      if (y.rank() != 2) {
        throw new ShapeException(describe() + ": head '" + e.getKey() + "' gave output " + Arrays.toString(y.shape())
            + "; every head must give [N, d]");
      }
      if (ctx.recordsTaps()) {
        ctx.tap(streamKey(head, i), y);
      }
      outputs.add(y);
      i++;
    }
    return outputs.size() == 1 ? outputs.get(0) : Tensor.concat(1, outputs);
  }

  /** The children's configs (trunk, then heads) and option {@code heads}, the head names in order. */
  @Override
  public LayerConfig config() {
    return new LayerConfig(NAME, name(), Map.of("heads", headNames()),
        children().stream().map(Layer::config).toList());
  }

  /**
   * Makes {@code multi_head} from option {@code trunk} (a layer, or a list of layers for a
   * sequential) and option {@code heads} (a map from head name to a layer or a list of layers); from
   * a config, from the children (trunk, then heads) and {@code heads} as the list of head names.
   */
  public static final class Factory extends AbstractComponentFactory<Layer> implements ContainerFactory {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Shared trunk with named heads whose outputs are concatenated", List.of(
          OptionSpec.required("trunk", OptionType.ANY, "the shared trunk: a layer, or a list of layers (a sequential)"),
          OptionSpec.required("heads", OptionType.ANY,
              "the heads by name: a map from head name to a layer or a list of layers (a sequential)")));
    }

    @Override
    public Layer create(Options options) {
      Layer trunk = layerOrSequential(options, "trunk", options.get("trunk"));
      Object value = options.get("heads");
      if (!(value instanceof Map<?, ?> map)) {
        throw new ComponentException("Option 'heads' of " + options.owner()
            + " must be a map from head name to a layer or a list of layers. Received: heads=" + value);
      }
      Map<String, Layer> heads = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String head)) {
          throw new ComponentException("Option 'heads' of " + options.owner() + " must have head names as keys. "
              + "Received: key " + e.getKey());
        }
        heads.put(head, layerOrSequential(options, "heads." + head, e.getValue()));
      }
      return new MultiHead(trunk, heads);
    }

    @Override
    public Layer createWithChildren(Map<String, ?> options, List<Layer> children) {
      Object names = options.get("heads");
      if (!(names instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
        throw new ComponentException("The config of layer 'multi_head' needs option 'heads', the list of head names. "
            + "Received: heads=" + names);
      }
      if (children.size() != list.size() + 1) {
        throw new ComponentException("The config of layer 'multi_head' lists " + list.size() + " heads " + list
            + " and so needs " + (list.size() + 1) + " children (the trunk, then the heads). Received: "
            + children.size() + " children");
      }
      Map<String, Object> raw = new LinkedHashMap<>(options);
      Map<String, Layer> heads = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        if (heads.put((String) list.get(i), children.get(i + 1)) != null) {
          throw new ComponentException("The config of layer 'multi_head' names head '" + list.get(i) + "' twice");
        }
      }
      raw.put("trunk", children.get(0));
      raw.put("heads", heads);
      return create(raw);
    }

    private static Layer layerOrSequential(Options options, String what, Object value) {
      if (value instanceof Layer layer) {
        return layer;
      }
      List<?> items = value instanceof List<?> l ? l : value instanceof Object[] a ? Arrays.asList(a) : null;
      if (items != null && !items.isEmpty() && items.stream().allMatch(Layer.class::isInstance)) {
        return new Sequential(items.stream().map(Layer.class::cast).toList());
      }
      throw new ComponentException("Option '" + what + "' of " + Objects.toString(options.owner())
          + " must be a layer or a list of layers. Received: " + what + "=" + value);
    }
  }
}
