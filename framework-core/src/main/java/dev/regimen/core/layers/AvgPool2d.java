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
import dev.regimen.api.tensor.Pool2dSpec;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Average pooling over NCHW input: y[n, c, i, j] = the mean of x[n, c] over the window (i, j). Options
 * as in {@link Pool2d}: {@code pool_size} (2), {@code stride} (the pool size), {@code padding} (0); and
 * {@code count_padding} (false): whether padded zeros count in the divisor (PyTorch's
 * {@code count_include_pad}, which defaults to true there; false averages only real inputs, as Keras
 * does).
 */
public final class AvgPool2d extends Pool2d implements OnnxLayer {
  public static final String NAME = "avgpool2d";

  private final Pool2dSpec spec;

  public AvgPool2d(Options options) {
    super(NAME, options);
    this.spec = spec(options.getBoolean("count_padding"));
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.avgPool2d(spec);
  }

  /** {@code AveragePool}, with {@code count_include_pad} as {@code count_padding}. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    Map<String, Object> attributes = new LinkedHashMap<>(onnxAttributes());
    attributes.put("count_include_pad", spec.countPadding() ? 1 : 0);
    return graph.node("AveragePool", List.of(input), attributes);
  }

  /** Makes {@code avgpool2d}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "2-D average pooling over NCHW input", avgOptions());
    }

    private static List<OptionSpec> avgOptions() {
      List<OptionSpec> options = new ArrayList<>(commonOptions());
      options.add(OptionSpec.of("count_padding", OptionType.BOOLEAN, false,
          "whether padded zeros count in the divisor"));
      return options;
    }

    @Override
    public Layer create(Options options) {
      return new AvgPool2d(options);
    }
  }
}
