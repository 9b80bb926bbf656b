package dev.regimen.core.layers;

import java.util.Map;

class LeakyReluTest extends ActivationContract {
  LeakyReluTest() {
    super(new LeakyRelu.Factory(), Map.of("alpha", 0.1),
        new double[] {-2, -0.2}, new double[] {-0.5, -0.05}, new double[] {0, 0}, new double[] {0.5, 0.5},
        new double[] {3, 3});
  }
}
