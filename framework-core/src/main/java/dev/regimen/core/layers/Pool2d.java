package dev.regimen.core.layers;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.tensor.Pool2dSpec;
import dev.regimen.api.tensor.ShapeException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What max and average pooling share: a window of {@code pool_size} (default 2) moved by
 * {@code stride} (default: the pool size, so windows do not overlap) over NCHW input padded by
 * {@code padding} (default 0, at most half the window) on each side; each is one value or two
 * (height, width). Each output side is floor((in + 2 padding - pool) / stride) + 1; channels are kept.
 */
public abstract class Pool2d extends AbstractLayer {
  private final int[] pool;
  private final int[] stride;
  private final int[] padding;

  protected Pool2d(String type, Options options) {
    super(type, options);
    this.pool = LayerChecks.pair(options, "pool_size");
    this.stride = options.has("stride") ? LayerChecks.pair(options, "stride") : pool.clone();
    this.padding = LayerChecks.pair(options, "padding");
    options.check(pool[0] >= 1 && pool[1] >= 1 && stride[0] >= 1 && stride[1] >= 1,
        "pool_size and stride must be at least 1. Received: pool_size=" + Arrays.toString(pool) + ", stride="
            + Arrays.toString(stride));
    options.check(padding[0] >= 0 && padding[1] >= 0 && padding[0] <= pool[0] / 2 && padding[1] <= pool[1] / 2,
        "padding must be between 0 and half the pool size. Received: padding=" + Arrays.toString(padding)
            + ", pool_size=" + Arrays.toString(pool));
  }

  /** The window, stride and padding as the tensor op takes them. */
  protected final Pool2dSpec spec(boolean countPadding) {
    return new Pool2dSpec(pool[0], pool[1], stride[0], stride[1], padding[0], padding[1], countPadding);
  }

  /** The window, strides and symmetric pads as ONNX's pooling operators take them. */
  protected final Map<String, Object> onnxAttributes() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("kernel_shape", pool.clone());
    attributes.put("strides", stride.clone());
    attributes.put("pads", new int[] {padding[0], padding[1], padding[0], padding[1]});
    return attributes;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireRank(describe(), inputShape, 3, "[C, H, W]", "");
    long outH = LayerChecks.windowOutput(inputShape[1], pool[0], stride[0], padding[0], 1);
    long outW = LayerChecks.windowOutput(inputShape[2], pool[1], stride[1], padding[1], 1);
    if (outH < 1 || outW < 1) {
      throw new ShapeException(describe() + ": window " + pool[0] + "x" + pool[1] + " with padding " + padding[0]
          + "x" + padding[1] + " does not fit per-sample input " + Arrays.toString(inputShape));
    }
    return new long[] {inputShape[0], outH, outW};
  }

  /** The options both poolings take. */
  static List<OptionSpec> commonOptions() {
    return List.of(
        OptionSpec.of("pool_size", OptionType.INT_LIST, 2, "window size: k, or [kH, kW]").atLeast(1),
        OptionSpec.of("stride", OptionType.INT_LIST, null, "step between windows: s, or [sH, sW]; defaults to pool_size")
            .atLeast(1),
        OptionSpec.of("padding", OptionType.INT_LIST, 0, "zeros added on each side, at most half the window")
            .atLeast(0));
  }
}
