package dev.regimen.core.layers;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.InputMajorWeight;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.init.GlorotUniform;
import dev.regimen.core.init.Zeros;
import java.util.List;

/**
 * A fully connected layer: y = x W + b for input x of shape [N, in], weight W of shape [in, units]
 * and bias b of shape [units] (Keras' kernel layout; PyTorch's {@code Linear} stores W transposed).
 *
 * <p>Options: {@code units} (required, at least 1), {@code use_bias} (default true),
 * {@code kernel_initializer} (default {@code glorot_uniform}, Keras' default, variance
 * 2 / (in + units); choose {@code he_normal} or {@code he_uniform} for deep ReLU stacks) and
 * {@code bias_initializer} (default {@code zeros}) and {@code activation} ({@code linear}, the
 * default, or {@code relu}: y = max(0, x W + b) as one fused op, {@link Tensor#linearRelu}, whose bias
 * and ReLU take one pass forward and one backward instead of two each; the same values as a
 * {@code relu} layer after the dense one). The per-sample input must be [features]: put a
 * {@code flatten} before it for images. {@code weight} is a weight (penalized and decayed by
 * default); {@code bias} is not.
 */
public final class Dense extends AbstractLayer implements OnnxLayer, InputMajorWeight {
  public static final String NAME = "dense";

  private final int units;
  private final boolean useBias;
  private final boolean relu;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private Tensor weight;
  private Tensor bias;

  public Dense(Options options) {
    super(NAME, options);
    this.units = options.getInt("units");
    this.useBias = options.getBoolean("use_bias");
    this.relu = options.getString("activation").equals("relu");
    options.check(units >= 1, "units must be at least 1. Received: units=" + units);
    this.kernelInitializer = LayerChecks.initializer(options, "kernel_initializer");
    this.biasInitializer = LayerChecks.initializer(options, "bias_initializer");
  }

  public int units() {
    return units;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    LayerChecks.requireRank(describe(), inputShape, 1, "[features]", "put a flatten layer before it");
    return new long[] {units};
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long in = inputShape[0];
    weight = addParameter("weight", kernelInitializer.initialize(
        new long[] {in, units}, in, units, Tensor.defaultType(), rng.fork("weight")));
    if (useBias) {
      bias = addParameter("bias", biasInitializer.initialize(
          new long[] {units}, in, units, Tensor.defaultType(), rng.fork("bias")));
    }
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    LayerChecks.requireSameType(describe(), input, weight);
    return relu ? input.linearRelu(weight, bias) : input.linear(weight, bias);
  }

  /** {@code Gemm(x, W, b)}: W stays {@code [in, out]} (transB = 0). */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.linear(input, name(), weight.array(), bias == null ? null : bias.array());
  }

  /** Makes {@code dense}. */
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME, "Fully connected layer: y = x W + b", List.of(
          OptionSpec.required("units", OptionType.INT, "number of output features").atLeast(1),
          OptionSpec.of("use_bias", OptionType.BOOLEAN, true, "whether to add a bias b"),
          LayerChecks.initializerOption("kernel_initializer", GlorotUniform.NAME, "initializer of the weight W"),
          LayerChecks.initializerOption("bias_initializer", Zeros.NAME, "initializer of the bias b"),
          OptionSpec.of("activation", OptionType.STRING, "linear",
              "linear, or relu for max(0, x W + b) in one fused op").oneOf("linear", "relu")));
    }

    @Override
    public Layer create(Options options) {
      return new Dense(options);
    }
  }
}
