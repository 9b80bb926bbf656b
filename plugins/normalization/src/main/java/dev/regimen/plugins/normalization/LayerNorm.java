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
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Layer normalization (Ba, Kiros and Hinton 2016, "Layer Normalization", arXiv:1607.06450): each
 * sample is standardized over its own values, y = gamma (x - mean) / sqrt(var + epsilon) + beta,
 * with the mean and biased variance of the normalized dimensions of that sample alone. No batch
 * statistics: training and evaluation compute the same thing, and a batch of one is fine.
 *
 * <p>Options: {@code normalized_dims} (absent: every per-sample dimension; k: the last k, as
 * PyTorch's {@code normalized_shape}, so [T, D] with k = 1 normalizes each of the T vectors over D),
 * {@code epsilon} (1e-5, positive) and {@code affine} (true: {@code gamma}, ones, and {@code beta},
 * zeros, of the normalized shape, one per element as in PyTorch; trainable, not weights).
 */
public final class LayerNorm extends AbstractLayer implements OnnxLayer {
  public static final String NAME = "layernorm";

  private final Integer normalizedDims;
  private final double epsilon;
  private final boolean affine;
  private Tensor gamma;
  private Tensor beta;

  public LayerNorm(Options options) {
    super(NAME, options);
    this.normalizedDims = options.has("normalized_dims") ? options.getInt("normalized_dims") : null;
    this.epsilon = options.getDouble("epsilon");
    this.affine = options.getBoolean("affine");
    options.check(epsilon > 0, "epsilon must be positive. Received: epsilon=" + epsilon);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Checks.requireRankAtLeast(describe(), inputShape, 1, "of at least one dimension");
    if (normalizedDims != null && normalizedDims > inputShape.length) {
      throw new ShapeException(describe() + " normalizes the last normalized_dims=" + normalizedDims
          + " dimensions, more than per-sample input " + Arrays.toString(inputShape) + " has");
    }
    return inputShape.clone();
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    if (affine) {
      long[] shape = normalizedShape(inputShape);
      gamma = addParameter("gamma", Nd4j.ones(Tensor.defaultType(), shape));
      beta = addParameter("beta", Nd4j.zeros(Tensor.defaultType(), shape));
    }
  }

  private long[] normalizedShape(long[] sampleShape) {
    int k = normalizedDims == null ? sampleShape.length : normalizedDims;
    return Arrays.copyOfRange(sampleShape, sampleShape.length - k, sampleShape.length);
  }

  @Override
  public boolean isWeight(String localName) {
    return false;
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    long width = 1;
    for (long d : normalizedShape(builtShape())) {
      width *= d;
    }
    Tensor standardized = FusedNorm.standardizeBlocks(input, input.length() / width, epsilon);
    if (!affine) {
      return standardized;
    }
    Checks.requireType(describe(), input, gamma);
    return standardized.mul(gamma).add(beta);
  }

  /** {@code LayerNormalization} over the last k axes (axis -k); without affine, a scale of ones. */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    long[] shape = normalizedShape(inputShape);
    List<String> inputs = affine
        ? List.of(input, graph.constant(name() + ".gamma", gamma.array()), graph.constant(name() + ".beta", beta.array()))
        : List.of(input, graph.constant(name() + ".gamma", Nd4j.ones(Tensor.defaultType(), shape)));
    return graph.node("LayerNormalization", inputs, Map.of("axis", -shape.length, "epsilon", epsilon));
  }

  /** Makes {@code layernorm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Layer normalization: each sample standardized over its own values, y = gamma (x - mean) / sqrt(var + epsilon)"
              + " + beta; the same in training and evaluation",
          List.of(
              OptionSpec.of("normalized_dims", OptionType.INT, null,
                  "how many trailing per-sample dimensions to normalize over; absent: all of them").atLeast(1),
              OptionSpec.of("epsilon", OptionType.DOUBLE, 1e-5, "added to the variance before the square root")
                  .atLeast(0),
              OptionSpec.of("affine", OptionType.BOOLEAN, true,
                  "whether to learn a scale gamma and shift beta per element of the normalized shape")));
    }

    @Override
    public Layer create(Options options) {
      return new LayerNorm(options);
    }
  }
}
