package dev.regimen.plugins.dropout;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.StochasticLayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of this plugin's element-wise noise layers (the subclasses of {@link NoiseLayer}): the
 * test kit's stochastic layer contract, plus what NoiseLayer promises of a pass that does not sample,
 * that it gives the layer's evaluation form of x ({@link #atEvaluation}): x itself unless the layer
 * rescales.
 */
abstract class NoiseLayerContract extends StochasticLayerContract {

  NoiseLayerContract(ComponentFactory<Layer> factory, Map<String, ?> options, long... inputShape) {
    super(factory, options, inputShape);
  }

  /** The expected output of an evaluation pass on x: x itself, unless the layer rescales it. */
  protected Tensor atEvaluation(Tensor x) {
    return x;
  }

  @Test
  void evaluationGivesTheEvaluationForm() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    assertSameValues(atEvaluation(x), evaluate(layer, x), "evaluation output");
  }
}
