package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ND4J's scalar ops replace a NaN operand (x * NaN gives 1e-5 x); Tensor's must not, or divergence hides. */
class ScalarNaNTest {

  @Test
  void scalarOpsWithNaNGiveNaN() {
    Tensor x = Tensor.of(new float[] {1, 2}, 2);
    assertTrue(Double.isNaN(x.mul(Double.NaN).array().getDouble(0)));
    assertTrue(Double.isNaN(x.add(Double.NaN).array().getDouble(1)));
    assertTrue(Double.isNaN(x.div(Double.NaN).array().getDouble(0)));
    assertTrue(Double.isNaN(x.sub(Double.NaN).array().getDouble(0)));
  }
}
