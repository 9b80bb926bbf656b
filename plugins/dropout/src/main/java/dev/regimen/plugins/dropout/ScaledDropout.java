package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Classic dropout as Srivastava et al. 2014 ("Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 15) first described it: while sampling, y = x * m with m ~ Bernoulli(1 - rate)
 * and no rescaling; at evaluation y = x * (1 - rate), the weight-scaling inference rule (the
 * outgoing weights scaled by the keep probability, applied here to the activations). Both give
 * E[y] = x (1 - rate). For a constant x, Var[y] = x^2 rate (1 - rate) while sampling.
 *
 * <p>It trains the same network as {@code dropout} with the next layer's weights scaled by
 * 1 / (1 - rate); prefer {@code dropout}, and use this one to reproduce the paper or to import
 * weights trained this way.
 *
 * <p>Option {@code rate} (default 0.5): the probability of DROPPING a unit, in [0, 1); not DL4J's
 * probability of keeping it. Any per-sample shape is accepted.
 */
public final class ScaledDropout extends NoiseLayer {
  public static final String NAME = "dropout.scaled";

  public ScaledDropout(Options options) {
    super(NAME, options, "rate");
  }

  /** m ~ Bernoulli(1 - rate), per element, not rescaled. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    return rng.bernoulli(input.dataType(), 1 - strength(), input.shape());
  }

  /** x (1 - rate): the expected value of the training output. */
  @Override
  protected Tensor atEvaluation(Tensor input) {
    return input.mul(1 - strength());
  }

  /** {@code Mul(x, 1 - rate)}. */
  @Override
  protected String atEvaluationOnnx(OnnxGraph graph, String input) {
    return graph.node("Mul", input, graph.scalar(name() + ".keep", (float) (1 - strength())));
  }

  /** Makes {@code dropout.scaled}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Classic dropout: y = x * m while training, m ~ Bernoulli(1 - rate); rate is the probability of dropping;"
              + " y = x * (1 - rate) at evaluation",
          List.of(Noise.rate(0.5, "unit")));
    }

    @Override
    public Layer create(Options options) {
      return new ScaledDropout(options);
    }
  }
}
