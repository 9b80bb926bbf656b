package dev.regimen.core.layers;

import java.util.Map;

class GeluTest extends ActivationContract {
  GeluTest() {
    super(new Gelu.Factory(), Map.of(),
        new double[] {-2, -0.04550026389635842}, new double[] {-0.5, -0.15426876936299344}, new double[] {0, 0},
        new double[] {0.5, 0.34573123063700656}, new double[] {3, 2.99595030590511});
  }
}
