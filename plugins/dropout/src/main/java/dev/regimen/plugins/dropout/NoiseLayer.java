package dev.regimen.plugins.dropout;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.AdjustableOptions;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Stochastic;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape the element-wise noise layers of this plugin share: y = x * noise while the context
 * samples ({@link #applyNoise}: a product unless a layer says otherwise, as alpha dropout's affine
 * map), y = {@link #atEvaluation}(x) otherwise (x unless a layer says otherwise), and y = x in both
 * modes when the layer's strength option (a rate or a half-width) is 0. The noise is drawn from the
 * layer's own stream ({@link Noise#stream}); a layer says only what its noise is. Exported to ONNX, a
 * layer is its evaluation form: nothing (the identity) unless it rescales ({@link #atEvaluationOnnx}).
 * The strength may change while training runs (the {@code schedule} scheduler moves it).
 */
abstract class NoiseLayer extends AbstractLayer implements Stochastic, OnnxLayer, Adjustable.WithOptions {
  private final String strengthOption;
  private final AdjustableOptions adjustable;

  /**
   * {@code strengthOption}: the option that turns the noise off at 0 ({@code rate}, {@code beta}); it
   * may change while training runs ({@link Adjustable}: a schedule of the dropout rate).
   */
  NoiseLayer(String type, Options options, String strengthOption) {
    super(type, options);
    this.strengthOption = strengthOption;
    this.adjustable = new AdjustableOptions(options, strengthOption);
  }

  /** The strength option's value now: the rate or the half-width. */
  protected final double strength() {
    return adjustable.get(strengthOption);
  }

  @Override
  public AdjustableOptions adjustable() {
    return adjustable;
  }

  /** The noise x is multiplied by in a sampling pass, broadcastable to the input's shape. */
  protected abstract INDArray noise(Rng rng, Tensor input);

  /** The output of a sampling pass from the input and its {@link #noise}: x * noise unless a layer says otherwise. */
  protected Tensor applyNoise(Tensor input, INDArray noise) {
    return input.mul(Tensor.of(noise));
  }

  /** The output of a pass that does not sample: the input itself unless a layer rescales it. */
  protected Tensor atEvaluation(Tensor input) {
    return input;
  }

  /** {@link #atEvaluation} as ONNX nodes: the input itself unless a layer rescales it. */
  protected String atEvaluationOnnx(OnnxGraph graph, String input) {
    return input;
  }

  @Override
  public final String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return strength() == 0 ? input : atEvaluationOnnx(graph, input);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return inputShape.clone();
  }

  @Override
  protected final Tensor call(Tensor input, ForwardContext ctx) {
    if (strength() == 0) {
      return input;
    }
    if (!ctx.sampling()) {
      return atEvaluation(input);
    }
    return applyNoise(input, noise(Noise.stream(ctx, this), input));
  }
}
