package dev.regimen.plugins.dropout;

import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GaussianDropoutTest extends NoiseLayerContract {
  GaussianDropoutTest() {
    super(new GaussianDropout.Factory(), Map.of("rate", 0.3), 4);
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.1, 0.5, 0.8})
  void keepsTheExpectationAndMatchesTheVarianceOfDropoutWithTheSameRate(double rate) {
    double x = -1.5;
    Tensor y = Components.train(Components.create("dropout.gaussian", Map.of("rate", rate)),
        Components.constant(x, 100_000, 2), 31);

    Moments m = Moments.of(Components.values(y));
    m.assertMean(x, "dropout.gaussian(rate=" + rate + ")");
    m.assertVariance(x * x * rate / (1 - rate), "dropout.gaussian(rate=" + rate + ")");
  }
}
