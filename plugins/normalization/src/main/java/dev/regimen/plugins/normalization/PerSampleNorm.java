package dev.regimen.plugins.normalization;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the per-group norms share ({@code groupnorm}, {@code instancenorm}): each sample's channels are
 * split into blocks of consecutive channels, every block is standardized over its channels and spatial
 * positions with its own mean and biased variance, then scaled by {@code gamma} and shifted by {@code
 * beta} per channel. No batch statistics: the same in training and evaluation. A layer says only how
 * many blocks a sample has ({@link #groups}) and which per-sample shapes it takes.
 *
 * <p>Options: {@code epsilon} (1e-5, positive) and {@code affine} (true: {@code gamma}, ones, and
 * {@code beta}, zeros, per channel; trainable, not weights).
 */
abstract class PerSampleNorm extends AbstractLayer implements OnnxLayer {
  private final double epsilon;
  private final boolean affine;
  private Tensor gamma;
  private Tensor beta;

  PerSampleNorm(String type, Options options) {
    super(type, options);
    this.epsilon = options.getDouble("epsilon");
    this.affine = options.getBoolean("affine");
    options.check(epsilon > 0, "epsilon must be positive. Received: epsilon=" + epsilon);
  }

  /** The options of a per-group norm: {@code first} (its own), then {@code epsilon} and {@code affine}. */
  static List<OptionSpec> options(OptionSpec... first) {
    List<OptionSpec> all = new ArrayList<>(List.of(first));
    all.add(OptionSpec.of("epsilon", OptionType.DOUBLE, 1e-5, "added to the variance before the square root")
        .atLeast(0));
    all.add(OptionSpec.of("affine", OptionType.BOOLEAN, true, "whether to learn a scale gamma and shift beta per channel"));
    return List.copyOf(all);
  }

  /** The number of blocks each sample is standardized in, for a per-sample input shape. */
  protected abstract long groups(long[] sampleShape);

  @Override
  protected final void onBuild(long[] inputShape, Rng rng) {
    if (affine) {
      gamma = addParameter("gamma", Nd4j.ones(Tensor.defaultType(), inputShape[0]));
      beta = addParameter("beta", Nd4j.zeros(Tensor.defaultType(), inputShape[0]));
    }
  }

  @Override
  public final boolean isWeight(String localName) {
    return false;
  }

  /**
   * The blocks as ONNX computes them: {@code Reshape} to [N, groups, rest], {@code InstanceNormalization}
   * (each group of each sample standardized over the rest), {@code Reshape} back, then gamma and beta per
   * channel ({@code Mul}, {@code Add}, broadcast as [C, 1, ...]).
   */
  @Override
  public final String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    long groups = groups(inputShape);
    String blocks = graph.node("Reshape", input, graph.int64s(name() + ".blocks", 0, groups, -1));
    String standardized = graph.node("InstanceNormalization", List.of(blocks,
        graph.constant(name() + ".ones", Nd4j.ones(Tensor.defaultType(), groups)),
        graph.constant(name() + ".zeros", Nd4j.zeros(Tensor.defaultType(), groups))), Map.of("epsilon", epsilon));
    long[] back = new long[inputShape.length + 1];
    System.arraycopy(inputShape, 0, back, 1, inputShape.length);
    String y = graph.node("Reshape", standardized, graph.int64s(name() + ".shape", back));
    if (!affine) {
      return y;
    }
    long[] perChannel = new long[inputShape.length];
    Arrays.fill(perChannel, 1);
    perChannel[0] = inputShape[0];
    y = graph.node("Mul", y, graph.constant(name() + ".gamma", gamma.array().reshape(perChannel)));
    return graph.node("Add", y, graph.constant(name() + ".beta", beta.array().reshape(perChannel)));
  }

  @Override
  protected final Tensor call(Tensor input, ForwardContext ctx) {
    Tensor standardized = FusedNorm.standardizeBlocks(input, input.size(0) * groups(builtShape()), epsilon);
    if (!affine) {
      return standardized;
    }
    Checks.requireType(describe(), input, gamma);
    return FusedNorm.channelAffine(standardized, gamma, beta);
  }
}
