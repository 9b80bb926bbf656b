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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A residual connection (He et al. 2016, "Deep Residual Learning"): y = x + block(x). The block,
 * typically a {@link Sequential}, must keep the shape of its input; shape inference fails, naming
 * both shapes, if it does not. The gradient reaches x both through the block and directly.
 *
 * <p>From Java, {@code new Residual(block)}; by name, option {@code block} (required): a layer object,
 * or a list of layers, which is wrapped in a {@code sequential}.
 */
public final class Residual extends AbstractContainer implements OnnxLayer {
  public static final String NAME = "residual";

  private final Layer block;

  public Residual(Layer block) {
    super(NAME);
    this.block = Objects.requireNonNull(block, "block");
  }

  public Layer block() {
    return block;
  }

  @Override
  public List<Layer> children() {
    return List.of(block);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] out = block.outputShape(inputShape);
    if (!Arrays.equals(out, inputShape)) {
      throw new ShapeException(describe() + ": its block " + blockName() + " maps per-sample input "
          + Arrays.toString(inputShape) + " to " + Arrays.toString(out)
          + "; y = x + block(x) needs the block to keep the shape");
    }
    return out;
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    block.build(inputShape, rng.fork(streamKey(block, 0)));
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    Tensor y = block.forward(input, ctx);
    if (!Arrays.equals(y.shape(), input.shape())) {
      throw new ShapeException(describe() + ": its block " + blockName() + " turned input "
          + Arrays.toString(input.shape()) + " into " + Arrays.toString(y.shape())
          + "; y = x + block(x) needs the block to keep the shape");
    }
    return input.add(y);
  }

  /** {@code Add(x, block(x))}. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Add", input, graph.layer(block, input, inputShape));
  }

  private String blockName() {
    return "'" + (block.name() == null ? block.type() : block.name()) + "'";
  }

  /** Makes {@code residual} from option {@code block}: a layer, or a list of layers for a sequential. */
  public static final class Factory extends AbstractComponentFactory<Layer> implements ContainerFactory {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Residual connection: y = x + block(x)", List.of(
          OptionSpec.required("block", OptionType.ANY, "the block: a layer, or a list of layers (a sequential)")));
    }

    @Override
    public Layer create(Options options) {
      Object value = options.get("block");
      if (value instanceof Layer layer) {
        return new Residual(layer);
      }
      if (value instanceof List<?> || value instanceof Object[]) {
        return new Residual(new Sequential(Sequential.layerList(options, "block")));
      }
      throw new ComponentException("Option 'block' of " + options.owner()
          + " must be a layer or a list of layers. Received: block=" + value);
    }

    @Override
    public Layer createWithChildren(Map<String, ?> options, List<Layer> children) {
      if (children.size() != 1) {
        throw new ComponentException("layer 'residual' has exactly one child, its block. Received: "
            + children.size() + " children");
      }
      Map<String, Object> raw = new LinkedHashMap<>(options);
      raw.put("block", children.get(0));
      return create(raw);
    }
  }
}
