package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The softmax along one axis: y_i = e^(x_i) / sum_j e^(x_j), computed after subtracting the maximum.
 * Option {@code axis} (default -1, the last): counted on the batch tensor as in Keras and PyTorch, so
 * 1 is the channel axis of NCHW input; negative values count from the end. The batch axis 0 is
 * refused, since it would mix samples. For training a classifier, prefer a loss that takes logits
 * (softmax cross-entropy) over this layer followed by a log.
 */
public final class Softmax extends Activation implements OnnxLayer {
  public static final String NAME = "softmax";

  private final int axis;

  public Softmax(Options options) {
    super(NAME, options);
    this.axis = options.getInt("axis");
    options.check(axis != 0, "axis 0 is the batch axis; softmax must not mix samples. Received: axis=0");
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    int rank = inputShape.length + 1;
    int resolved = axis < 0 ? axis + rank : axis;
    if (resolved < 1 || resolved >= rank) {
      throw new ShapeException(describe() + ": axis " + axis + " is not a per-sample axis of input [N, "
          + Arrays.toString(inputShape).substring(1));
    }
    return super.outputShape(inputShape);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.softmax(axis);
  }

  /** {@code Softmax} along the same axis of the batch tensor (one axis, as since opset 13). */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Softmax", List.of(input), Map.of("axis", axis));
  }

  /** Makes {@code softmax}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Softmax along an axis: e^x / sum(e^x)", List.of(
          OptionSpec.of("axis", OptionType.INT, -1, "the axis of the batch tensor to normalize; -1 is the last")));
    }

    @Override
    public Layer create(Options options) {
      return new Softmax(options);
    }
  }
}
