package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Global average pooling (Lin et al. 2013, "Network In Network"): y[n, c] = mean over h, w of
 * x[n, c, h, w], turning NCHW feature maps into [N, C] features for a classifier. No options.
 */
public final class GlobalAvgPool extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "global_avgpool";

  public GlobalAvgPool(Options options) {
    super(NAME, options);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireRank(describe(), inputShape, 3, "[C, H, W]", "");
    return new long[] {inputShape[0]};
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    return input.mean(false, 2, 3);
  }

  /** {@code GlobalAveragePool} gives [N, C, 1, 1]; {@code Flatten} makes it [N, C]. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node("Flatten", List.of(graph.node("GlobalAveragePool", input)), Map.of("axis", 1));
  }

  /** Makes {@code global_avgpool}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Mean over the spatial axes: [N, C, H, W] to [N, C]", List.of());
    }

    @Override
    public Layer create(Options options) {
      return new GlobalAvgPool(options);
    }
  }
}
