package dev.regimen.plugins.dropout;

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
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Stochastic;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * DropConnect (Wan, Zeiler, Zhang, LeCun and Fergus, "Regularization of Neural Networks using
 * DropConnect", ICML 2013): a fully connected layer whose weights, not activations, are dropped.
 * While sampling, y = x (W * M) / (1 - rate) + b with M ~ Bernoulli(1 - rate) of W's shape; at
 * evaluation y = x W + b.
 *
 * <p>The mask is drawn once per batch and shared by its samples: one [in, units] mask and one
 * matrix product, where the paper draws a mask per sample (N times the memory and a batched
 * product). Gradients are unbiased either way; per-batch masks correlate the noise within a batch.
 *
 * <p>Inference is the mean approximation that inverted scaling makes exact for the pre-activation,
 * E[y] = x W + b; the paper instead moment-matches a Gaussian for each pre-activation and averages
 * the activation over samples of it, which differs after a nonlinearity. The bias is not dropped.
 *
 * <p>Options: {@code units} (required, at least 1), {@code rate} (default 0.5, the probability of
 * DROPPING a weight, in [0, 1); not DL4J's probability of keeping it), {@code use_bias} (default
 * true). Like the built-in {@code dense}: input [N, in], weight W [in, units] initialized Glorot
 * uniform (U(-l, l), l = sqrt(6 / (in + units))) and bias b [units] at zero, so that the same seed
 * gives both layers the same initial weights; {@code weight} is penalized and decayed by default,
 * {@code bias} is not.
 */
public final class DropConnect extends AbstractLayer implements Stochastic, OnnxLayer, InputMajorWeight {
  public static final String NAME = "dropconnect";

  private final int units;
  private final double rate;
  private final boolean useBias;
  private Tensor weight;
  private Tensor bias;

  public DropConnect(Options options) {
    super(NAME, options);
    this.units = options.getInt("units");
    this.rate = options.getDouble("rate");
    this.useBias = options.getBoolean("use_bias");
    options.check(units >= 1, "units must be at least 1. Received: units=" + units);
  }

  public int units() {
    return units;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 1 || inputShape[0] < 1) {
      throw new ShapeException(describe() + " expects per-sample input [features] and got "
          + Arrays.toString(inputShape) + "; put a flatten layer before it");
    }
    return new long[] {units};
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long in = inputShape[0];
    double limit = Math.sqrt(6.0 / (in + units));
    weight = addParameter("weight", rng.fork("weight").uniform(Tensor.defaultType(), -limit, limit, in, units));
    if (useBias) {
      bias = addParameter("bias", Nd4j.zeros(Tensor.defaultType(), units));
    }
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    if (input.dataType() != weight.dataType()) {
      throw new IllegalArgumentException(describe() + " has " + weight.dataType() + " parameters and got "
          + input.dataType() + " input " + Arrays.toString(input.shape())
          + "; build and feed a model in one type (Tensor.defaultType)");
    }
    Tensor w = weight;
    if (ctx.sampling() && rate > 0) {
      INDArray mask = Noise.invertedMask(Noise.stream(ctx, this), weight.dataType(), rate, weight.shape());
      w = weight.mul(Tensor.of(mask));
    }
    Tensor y = input.matmul(w);
    return bias == null ? y : y.add(bias);
  }

  /** At evaluation the weights are whole: {@code Gemm(x, W, b)}, W {@code [in, out]}. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.linear(input, name(), weight.array(), bias == null ? null : bias.array());
  }

  /** Makes {@code dropconnect}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "DropConnect dense layer: y = x (W * M) / (1 - rate) + b while training, M ~ Bernoulli(1 - rate) per batch;"
              + " rate is the probability of dropping a weight; y = x W + b at evaluation",
          List.of(
              OptionSpec.required("units", OptionType.INT, "number of output features").atLeast(1),
              Noise.rate(0.5, "weight"),
              OptionSpec.of("use_bias", OptionType.BOOLEAN, true, "whether to add a bias b (never dropped)")));
    }

    @Override
    public Layer create(Options options) {
      return new DropConnect(options);
    }
  }
}
