package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScaledDropoutTest extends NoiseLayerContract {
  ScaledDropoutTest() {
    super(new ScaledDropout.Factory(), Map.of("rate", 0.3), 4);
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.1, 0.5, 0.8})
  void trainingMeanIsTheEvaluationOutputAndVarianceIsXSquaredRateKeep(double rate) {
    double x = 1.5;
    Layer layer = Components.create("dropout.scaled", Map.of("rate", rate));
    double[] y = Components.values(Components.train(layer, Components.constant(x, 100_000, 2), 21));

    Moments m = Moments.of(y);
    double evaluation = evaluate(layer, Components.constant(x, 1, 2)).array().getDouble(0);
    Moments.assertWithin(x * (1 - rate), evaluation, 0, "evaluation output x (1 - rate)");
    m.assertMean(evaluation, "dropout.scaled(rate=" + rate + ") in training");
    m.assertVariance(x * x * rate * (1 - rate), "dropout.scaled(rate=" + rate + ")");
  }

  @Test
  void keptUnitsAreNotRescaledWhileTraining() {
    double x = 2.0;
    double[] y = Components.values(Components.train(builtLayer(SEED), Components.constant(x, 1000, 4), 22));
    for (double v : y) {
      assertTrue(v == 0 || v == x, () -> "each training output is 0 or x; got " + v);
    }
  }

  /** Classic dropout's evaluation form: x (1 - rate), here x (1 - 0.3). */
  @Override
  protected Tensor atEvaluation(Tensor x) {
    return x.mul(0.7);
  }
}
