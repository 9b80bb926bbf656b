package dev.regimen.core.layers;

import java.util.Map;

class ReluTest extends ActivationContract {
  ReluTest() {
    super(new Relu.Factory(), Map.of(),
        new double[] {-2, 0}, new double[] {-0.5, 0}, new double[] {0, 0}, new double[] {0.5, 0.5},
        new double[] {3, 3});
  }
}
