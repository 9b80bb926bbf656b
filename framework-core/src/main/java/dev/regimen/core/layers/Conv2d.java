package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Conv2dSpec;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.init.HeNormal;
import dev.regimen.core.init.Zeros;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A 2-D convolution (cross-correlation, as in every deep-learning library) over NCHW input:
 * y[n, o] = b[o] + sum over c of W[o, c] (*) x[n, c], with weight W of shape [filters, inC, kH, kW]
 * (PyTorch's layout, so that checkpoints read the same in both) and bias b of shape [filters]. Each
 * output side is floor((in + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. Runs through
 * {@link Tensor#conv2d}, libnd4j's fused op.
 *
 * <p>Options: {@code filters} (required), {@code kernel_size} (required), {@code stride} (1),
 * {@code padding} (0, zeros on each side), {@code dilation} (1), each one value for both axes or two
 * (height, width); {@code use_bias} (true); {@code kernel_initializer} (default {@code he_normal},
 * variance 2 / (inC kH kW), for the ReLU networks convolutions usually sit in) and
 * {@code bias_initializer} ({@code zeros}). The per-sample input is [C, H, W].
 */
public final class Conv2d extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "conv2d";

  private final int filters;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final int[] dilation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Conv2dSpec spec;
  private Tensor weight;
  private Tensor bias;

  public Conv2d(Options options) {
    super(NAME, options);
    this.filters = options.getInt("filters");
    options.check(filters >= 1, "filters must be at least 1. Received: filters=" + filters);
    this.kernel = LayerChecks.pair(options, "kernel_size");
    this.stride = LayerChecks.pair(options, "stride");
    this.padding = LayerChecks.pair(options, "padding");
    this.dilation = LayerChecks.pair(options, "dilation");
    options.check(kernel[0] >= 1 && kernel[1] >= 1 && stride[0] >= 1 && stride[1] >= 1 && dilation[0] >= 1
        && dilation[1] >= 1 && padding[0] >= 0 && padding[1] >= 0,
        "kernel_size, stride and dilation must be at least 1 and padding at least 0. Received: kernel_size="
            + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
            + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation));
    this.useBias = options.getBoolean("use_bias");
    this.kernelInitializer = LayerChecks.initializer(options, "kernel_initializer");
    this.biasInitializer = LayerChecks.initializer(options, "bias_initializer");
    this.spec = new Conv2dSpec(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireRank(describe(), inputShape, 3, "[C, H, W]", "");
    long outH = LayerChecks.windowOutput(inputShape[1], kernel[0], stride[0], padding[0], dilation[0]);
    long outW = LayerChecks.windowOutput(inputShape[2], kernel[1], stride[1], padding[1], dilation[1]);
    if (outH < 1 || outW < 1) {
      throw new ShapeException(describe() + ": kernel " + kernel[0] + "x" + kernel[1] + " with dilation "
          + dilation[0] + "x" + dilation[1] + " and padding " + padding[0] + "x" + padding[1]
          + " does not fit per-sample input " + Arrays.toString(inputShape) + " (output would be "
          + outH + "x" + outW + ")");
    }
    return new long[] {filters, outH, outW};
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long inC = inputShape[0];
    long area = (long) kernel[0] * kernel[1];
    weight = addParameter("weight", kernelInitializer.initialize(new long[] {filters, inC, kernel[0], kernel[1]},
        inC * area, filters * area, Tensor.defaultType(), rng.fork("weight")));
    if (useBias) {
      bias = addParameter("bias", biasInitializer.initialize(
          new long[] {filters}, inC * area, filters * area, Tensor.defaultType(), rng.fork("bias")));
    }
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    LayerChecks.requireSameType(describe(), input, weight);
    return input.conv2d(weight, bias, spec);
  }

  /** {@code Conv} with the same kernel, strides, symmetric pads and dilations; W is already ONNX's layout. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    List<String> inputs = new ArrayList<>(List.of(input, graph.constant(name() + ".weight", weight.array())));
    if (bias != null) {
      inputs.add(graph.constant(name() + ".bias", bias.array()));
    }
    return graph.node("Conv", inputs, Map.of("kernel_shape", kernel, "strides", stride,
        "pads", new int[] {padding[0], padding[1], padding[0], padding[1]}, "dilations", dilation));
  }

  /** Makes {@code conv2d}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "2-D convolution over NCHW input, weights [filters, inC, kH, kW]", List.of(
          OptionSpec.required("filters", OptionType.INT, "number of output channels").atLeast(1),
          OptionSpec.required("kernel_size", OptionType.INT_LIST, "window size: k, or [kH, kW]").atLeast(1),
          OptionSpec.of("stride", OptionType.INT_LIST, 1, "step between windows: s, or [sH, sW]").atLeast(1),
          OptionSpec.of("padding", OptionType.INT_LIST, 0, "zeros added on each side: p, or [pH, pW]").atLeast(0),
          OptionSpec.of("dilation", OptionType.INT_LIST, 1, "spacing of kernel taps: d, or [dH, dW]").atLeast(1),
          OptionSpec.of("use_bias", OptionType.BOOLEAN, true, "whether to add a bias per filter"),
          LayerChecks.initializerOption("kernel_initializer", HeNormal.NAME, "initializer of the weight"),
          LayerChecks.initializerOption("bias_initializer", Zeros.NAME, "initializer of the bias")));
    }

    @Override
    public Layer create(Options options) {
      return new Conv2d(options);
    }
  }
}
