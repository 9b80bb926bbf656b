package dev.regimen.core.layers;

import java.util.Map;

class TanhTest extends ActivationContract {
  TanhTest() {
    super(new Tanh.Factory(), Map.of(),
        new double[] {-2, -0.9640275800758169}, new double[] {0, 0}, new double[] {0.5, 0.46211715726000974},
        new double[] {3, 0.9950547536867305});
  }
}
