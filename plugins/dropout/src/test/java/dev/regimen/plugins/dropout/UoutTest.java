package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UoutTest extends NoiseLayerContract {
  UoutTest() {
    super(new Uout.Factory(), Map.of("beta", 0.2), 4);
  }

  @ParameterizedTest(name = "beta={0}")
  @ValueSource(doubles = {0.1, 0.5, 1.0})
  void keepsTheExpectationAndHasVarianceXSquaredBetaSquaredOverThree(double beta) {
    double x = 1.5;
    double[] y = Components.values(Components.train(Components.create("dropout.uout", Map.of("beta", beta)),
        Components.constant(x, 100_000, 2), 41));

    Moments m = Moments.of(y);
    m.assertMean(x, "dropout.uout(beta=" + beta + ")");
    m.assertVariance(x * x * beta * beta / 3, "dropout.uout(beta=" + beta + ")");
    double min = Arrays.stream(y).min().orElseThrow();
    double max = Arrays.stream(y).max().orElseThrow();
    assertTrue(min >= x * (1 - beta) && max <= x * (1 + beta),
        () -> "x + x r lies in [x (1 - beta), x (1 + beta)]; got [" + min + ", " + max + "]");
  }
}
