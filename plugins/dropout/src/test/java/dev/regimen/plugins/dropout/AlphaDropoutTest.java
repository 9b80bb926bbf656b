package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.Selu;
import dev.regimen.testkit.StochasticLayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code dropout.alpha} (Klambauer et al. 2017): inputs of mean 0 and variance 1 keep both, where
 * inverted dropout raises the variance to 1 / (1 - rate); dropped units all take one value.
 */
class AlphaDropoutTest extends StochasticLayerContract {
  AlphaDropoutTest() {
    super(new AlphaDropout.Factory(), Map.of("rate", 0.3), 4);
  }

  private static Tensor standardNormal(int n, long seed) {
    return Tensor.of(new Rng(seed).normal(DataType.DOUBLE, 0, 1, n, 2));
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.05, 0.1, 0.3})
  void keepsMeanZeroAndVarianceOneWhereInvertedDropoutDoesNot(double rate) {
    Tensor x = standardNormal(100_000, 21);
    Moments alpha = Moments.of(Components.values(
        Components.train(Components.create("dropout.alpha", Map.of("rate", rate)), x, 22)));
    alpha.assertMean(0, "dropout.alpha(rate=" + rate + ")");
    alpha.assertVariance(1, "dropout.alpha(rate=" + rate + ")");

    Moments inverted = Moments.of(Components.values(
        Components.train(Components.create("dropout", Map.of("rate", rate)), x, 22)));
    inverted.assertVariance(1 / (1 - rate), "dropout(rate=" + rate + ")");
  }

  @Test
  void droppedUnitsTakeTheSaturationValueAndKeptOnesAnAffineMapOfX() {
    double rate = 0.4;
    double q = 1 - rate;
    double alphaPrime = -Selu.LAMBDA * Selu.ALPHA;
    double a = 1 / Math.sqrt(q + alphaPrime * alphaPrime * q * (1 - q));
    double b = -a * (1 - q) * alphaPrime;
    Tensor x = standardNormal(10_000, 23);
    double[] in = Components.values(x);
    double[] y = Components.values(Components.train(Components.create("dropout.alpha", Map.of("rate", rate)), x, 24));
    double[] dropped = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      boolean isDropped = Math.abs(y[i] - (a * alphaPrime + b)) < 1e-12;
      boolean isKept = Math.abs(y[i] - (a * in[i] + b)) < 1e-12;
      int index = i;
      assertTrue(isDropped || isKept, () -> "element " + index + ": " + y[index] + " from " + in[index]);
      dropped[i] = isDropped ? 1 : 0;
    }
    Moments.of(dropped).assertMean(rate, "share of dropped units");
    assertEquals(alphaPrime, AlphaDropout.ALPHA_PRIME, 0, "the saturation value of the core's selu");
  }

  @Test
  void evaluationIsTheIdentity() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    assertSameValues(x, evaluate(layer, x), "evaluation output");
  }
}
