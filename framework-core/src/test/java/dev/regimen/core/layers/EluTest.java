package dev.regimen.core.layers;

import java.util.Map;

class EluTest extends ActivationContract {
  EluTest() {
    super(new Elu.Factory(), Map.of("alpha", 1.5),
        new double[] {-2, -1.296997075145081}, new double[] {-0.5, -0.5902040104310499}, new double[] {0, 0},
        new double[] {0.5, 0.5}, new double[] {3, 3});
  }
}
