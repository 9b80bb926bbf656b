package dev.regimen.plugins.normalization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Conv2dSpec;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Weight standardization (Qiao, Wang, Liu, Shen and Yuille 2019, "Micro-Batch Training with
 * Batch-Channel Normalization and Weight Standardization", arXiv:1903.10520): a 2-D convolution
 * whose filters are standardized before every use,
 *
 * <pre>
 *   W_hat[o] = (W[o] - mean(W[o])) / sqrt(var(W[o]) + epsilon),   y = b + W_hat (*) x
 * </pre>
 *
 * <p>with the mean and the biased variance of each filter over its inC kH kW weights, and the gradient
 * taken through the standardization. Normalizing the weights instead of the activations needs no
 * batch statistics, so it suits micro-batches; the paper pairs it with {@code groupnorm}, which it
 * brings to batch norm's accuracy (timm's {@code StdConv2d}, used by BiT). The layer is the same in
 * training and evaluation; its {@code weight} parameter holds W (the raw weights, which the optimizer
 * updates and checkpoints save), and the ONNX export is a {@code Conv} with W_hat.
 *
 * <p>The convolution is the built-in {@code conv2d}'s: NCHW input [C, H, W], weight [filters, inC,
 * kH, kW], each output side floor((in + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. Options:
 * {@code filters} (required), {@code kernel_size} (required), {@code stride} (1), {@code padding} (0)
 * and {@code dilation} (1), each one value or two (height, width); {@code use_bias} (true; with a
 * norm after it, turn it off); {@code epsilon} (1e-5, positive). Weights start He-normal, N(0, 2 /
 * (inC kH kW)); standardization makes their scale irrelevant to the output. The standardization
 * runs through the package's fused kernels, one block per filter.
 */
public final class WeightStandardization extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "weight_standardization";

  private final int filters;
  private final int[] kernel;
  private final int[] stride;
  private final int[] padding;
  private final int[] dilation;
  private final boolean useBias;
  private final double epsilon;
  private final Conv2dSpec spec;
  private Tensor weight;
  private Tensor bias;

  public WeightStandardization(Options options) {
    super(NAME, options);
    this.filters = options.getInt("filters");
    this.kernel = pair(options, "kernel_size");
    this.stride = pair(options, "stride");
    this.padding = pair(options, "padding");
    this.dilation = pair(options, "dilation");
    this.useBias = options.getBoolean("use_bias");
    this.epsilon = options.getDouble("epsilon");
    options.check(epsilon > 0, "epsilon must be positive. Received: epsilon=" + epsilon);
    this.spec = new Conv2dSpec(stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
  }

  /** A one-or-two-value size option as (height, width). */
  private static int[] pair(Options options, String name) {
    List<Integer> values = options.getIntList(name);
    options.check(values.size() == 1 || values.size() == 2,
        name + " must be one value or two (height, width). Received: " + name + "=" + values);
    return values.size() == 1 ? new int[] {values.get(0), values.get(0)} : new int[] {values.get(0), values.get(1)};
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 3) {
      throw new ShapeException(describe() + " expects per-sample input [C, H, W] and got " + Arrays.toString(inputShape));
    }
    long outH = Math.floorDiv(inputShape[1] + 2L * padding[0] - (long) dilation[0] * (kernel[0] - 1) - 1, stride[0]) + 1;
    long outW = Math.floorDiv(inputShape[2] + 2L * padding[1] - (long) dilation[1] * (kernel[1] - 1) - 1, stride[1]) + 1;
    if (outH < 1 || outW < 1) {
      throw new ShapeException(describe() + ": kernel " + kernel[0] + "x" + kernel[1] + " does not fit per-sample input "
          + Arrays.toString(inputShape) + " (output would be " + outH + "x" + outW + ")");
    }
    return new long[] {filters, outH, outW};
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long fanIn = inputShape[0] * kernel[0] * kernel[1];
    weight = addParameter("weight", rng.fork("weight").normal(Tensor.defaultType(), 0, Math.sqrt(2.0 / fanIn),
        filters, inputShape[0], kernel[0], kernel[1]));
    if (useBias) {
      bias = addParameter("bias", org.nd4j.linalg.factory.Nd4j.zeros(Tensor.defaultType(), filters));
    }
  }

  /** W_hat: each filter standardized over its weights, differentiable in W. */
  Tensor standardizedWeight() {
    return FusedNorm.standardizeBlocks(weight, filters, epsilon);
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    Checks.requireType(describe(), input, weight);
    return input.conv2d(standardizedWeight(), bias, spec);
  }

  /** {@code Conv} with W_hat as its weight. */
  @Override
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    Tensor standardized;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      standardized = standardizedWeight();
    }
    List<String> inputs = new ArrayList<>(List.of(input, graph.constant(name() + ".weight", standardized.array())));
    if (bias != null) {
      inputs.add(graph.constant(name() + ".bias", bias.array()));
    }
    return graph.node("Conv", inputs, Map.of("kernel_shape", kernel, "strides", stride,
        "pads", new int[] {padding[0], padding[1], padding[0], padding[1]}, "dilations", dilation));
  }

  /** Makes {@code weight_standardization}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Weight standardization (Qiao et al. 2019): a conv2d whose filters are standardized to mean 0 and"
              + " variance 1 before each use; pair it with groupnorm",
          List.of(
              OptionSpec.required("filters", OptionType.INT, "number of output channels").atLeast(1),
              OptionSpec.required("kernel_size", OptionType.INT_LIST, "window size: k, or [kH, kW]").atLeast(1),
              OptionSpec.of("stride", OptionType.INT_LIST, 1, "step between windows: s, or [sH, sW]").atLeast(1),
              OptionSpec.of("padding", OptionType.INT_LIST, 0, "zeros added on each side: p, or [pH, pW]").atLeast(0),
              OptionSpec.of("dilation", OptionType.INT_LIST, 1, "spacing of kernel taps: d, or [dH, dW]").atLeast(1),
              OptionSpec.of("use_bias", OptionType.BOOLEAN, true, "whether to add a bias per filter"),
              OptionSpec.of("epsilon", OptionType.DOUBLE, 1e-5,
                  "added to each filter's variance before the square root").atLeast(0)));
    }

    @Override
    public Layer create(Options options) {
      return new WeightStandardization(options);
    }
  }
}
