package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutTest extends NoiseLayerContract {
  DropoutTest() {
    super(new Dropout.Factory(), Map.of("rate", 0.3), 4);
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.1, 0.5, 0.8})
  void keepsTheExpectationAndHasVarianceXSquaredRateOverOneMinusRate(double rate) {
    double x = 1.5;
    Tensor y = Components.train(Components.create("dropout", Map.of("rate", rate)),
        Components.constant(x, 100_000, 2), 11);

    Moments m = Moments.of(Components.values(y));
    m.assertMean(x, "dropout(rate=" + rate + ")");
    m.assertVariance(x * x * rate / (1 - rate), "dropout(rate=" + rate + ")");
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.2, 0.8})
  void rateIsTheProbabilityOfDroppingAndKeptUnitsAreScaledUp(double rate) {
    double x = 2.0;
    double[] y = Components.values(Components.train(Components.create("dropout", Map.of("rate", rate)),
        Components.constant(x, 50_000, 2), 12));

    double kept = x / (1 - rate);
    double[] dropped = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      double v = y[i];
      assertTrue(v == 0 || Math.abs(v - kept) < 1e-12, () -> "each output is 0 or x / (1 - rate); got " + v);
      dropped[i] = v == 0 ? 1 : 0;
    }
    Moments.of(dropped).assertMean(rate, "fraction of dropped units");
  }

  @Test
  void aRateOfZeroNeverDrops() {
    Layer layer = Components.create("dropout", Map.of("rate", 0.0));
    Tensor x = batch(batchSize(), SEED + 2);
    assertSameValues(x, Components.train(layer, x, 1), "training output at rate 0");
  }

  @Test
  void theInputGradientIsTheScaledMask() {
    Layer layer = builtLayer(SEED);
    Tensor x = Tensor.parameter(Components.constant(1.0, 8, 4).array());
    Tensor y = layer.forward(x, trainingContext());
    y.sum().backward();
    // For x = 1 the output is the mask itself, m / (1 - rate); the gradient of sum(y) must be the same.
    assertArrayEquals(Components.values(y), Components.values(x.grad()));
  }
}
