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
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of layers: y = f_k(... f_2(f_1(x))). Each child is built, in order, for the output shape of
 * the one before it and with its own random stream, {@code rng.fork(child.name())}, so that adding a
 * layer leaves the initial weights of the others unchanged. When the forward context records taps,
 * each child's output is recorded under the child's name ({@code dense_1}, {@code relu_1}).
 *
 * <p>From Java, {@code new Sequential(List.of(...))} or {@link #of}; by name, option {@code layers}
 * (required): the list of {@link Layer} objects. A layer object may appear only once in a model.
 */
public final class Sequential extends AbstractContainer implements OnnxLayer {
  public static final String NAME = "sequential";

  private final List<Layer> layers;

  public Sequential(List<? extends Layer> layers) {
    super(NAME);
    if (layers == null || layers.isEmpty()) {
      throw new ComponentException("layer 'sequential' needs at least one layer. Received: layers=" + layers);
    }
    Map<Layer, Integer> seen = new IdentityHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer == null) {
        throw new ComponentException("layer 'sequential': layers[" + i + "] is null");
      }
      Integer first = seen.putIfAbsent(layer, i);
      if (first != null) {
        throw new ComponentException("layer 'sequential': the same layer object " + layer.type() + " is at positions "
            + first + " and " + i + "; make a new layer for each position");
      }
    }
    this.layers = List.copyOf(layers);
  }

  public static Sequential of(Layer... layers) {
    return new Sequential(Arrays.asList(layers));
  }

  @Override
  public List<Layer> children() {
    return layers;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      try {
        shape = layers.get(i).outputShape(shape);
      } catch (ShapeException e) {
        throw new ShapeException(describe() + ", layer " + i + ": " + e.getMessage());
      }
    }
    return shape;
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long[] shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer child = layers.get(i);
      child.build(shape, rng.fork(streamKey(child, i)));
      shape = child.outputShape(shape);
    }
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    Tensor x = input;
    for (int i = 0; i < layers.size(); i++) {
      Layer child = layers.get(i);
      x = child.forward(x, ctx);
      if (ctx.recordsTaps()) {
        ctx.tap(streamKey(child, i), x);
      }
    }
    return x;
  }

  /** Makes {@code sequential} from option {@code layers}, a list of layer objects. */
  /** Each layer's nodes in turn. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    String x = input;
    long[] shape = inputShape;
    for (Layer child : layers) {
      x = graph.layer(child, x, shape);
      shape = child.outputShape(shape);
    }
    return x;
  }

  public static final class Factory extends AbstractComponentFactory<Layer> implements ContainerFactory {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "A chain of layers, each fed the output of the one before", List.of(
          OptionSpec.required("layers", OptionType.ANY, "the layers, in order (layer objects)")));
    }

    @Override
    public Layer create(Options options) {
      return new Sequential(layerList(options, "layers"));
    }

    @Override
    public Layer createWithChildren(Map<String, ?> options, List<Layer> children) {
      Map<String, Object> raw = new LinkedHashMap<>(options);
      raw.put("layers", children);
      return create(raw);
    }
  }

  /** The layers an {@link OptionType#ANY} option holds as a list or an array; the error echoes the value. */
  static List<Layer> layerList(Options options, String name) {
    Object value = options.get(name);
    List<?> items = value instanceof List<?> list ? list : value instanceof Object[] array ? Arrays.asList(array) : null;
    if (items != null && items.stream().allMatch(Layer.class::isInstance)) {
      return items.stream().map(Layer.class::cast).toList();
    }
    if (items != null) {
      for (int i = 0; i < items.size(); i++) {
        Object item = items.get(i);
        if (!(item instanceof Layer)) {
          String shown = item instanceof String s ? "'" + s + "' (a name: make the layer with rg.layer('" + s + "'))"
              : String.valueOf(item);
          throw new ComponentException("Option '" + name + "' of " + options.owner() + " must be a list of layers;"
              + " item " + (i + 1) + " of " + items.size() + " is " + shown + ", not a layer");
        }
      }
    }
    throw new ComponentException("Option '" + name + "' of " + options.owner() + " must be a list of layers. Received: "
        + name + "=" + value);
  }
}
