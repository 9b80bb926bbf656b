package dev.regimen.core.layers;

import java.util.Map;

class SigmoidTest extends ActivationContract {
  SigmoidTest() {
    super(new Sigmoid.Factory(), Map.of(),
        new double[] {-2, 0.11920292202211755}, new double[] {0, 0.5}, new double[] {0.5, 0.6224593312018546},
        new double[] {3, 0.9525741268224334});
  }
}
