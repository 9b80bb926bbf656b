package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fused dense + ReLU ({@link Tensor#linearRelu}) against {@code linear(...).relu()}, values and gradients, in float32. */
class LinearReluTest {

  @ParameterizedTest(name = "x [{0}, {1}] W [{1}, {2}], bias {3}")
  @CsvSource({
      // With and without a bias, one row (which relu_layer refuses, so the composed path), and the benchmark MLP's layer.
      "70, 13, 37, true",
      "70, 13, 37, false",
      "1, 5, 3, true",
      "128, 64, 512, true"})
  void equalsTheLinearMapFollowedByAReluAndGivesTheSameGradients(int n, int in, int out, boolean withBias) {
    Rng rng = new Rng(3);
    INDArray xv = rng.normal(DataType.FLOAT, 0, 1, n, in);
    INDArray wv = rng.normal(DataType.FLOAT, 0, 0.5, in, out);
    INDArray bv = rng.normal(DataType.FLOAT, 0, 1, out);
    INDArray gv = rng.normal(DataType.FLOAT, 0, 1, n, out);

    Tensor[] fused = {Tensor.parameter(xv.dup()), Tensor.parameter(wv.dup()), Tensor.parameter(bv.dup())};
    Tensor y = fused[0].linearRelu(fused[1], withBias ? fused[2] : null);
    y.mul(Tensor.of(gv)).sum().backward();

    Tensor[] plain = {Tensor.parameter(xv.dup()), Tensor.parameter(wv.dup()), Tensor.parameter(bv.dup())};
    Tensor expected = plain[0].linear(plain[1], withBias ? plain[2] : null).relu();
    expected.mul(Tensor.of(gv)).sum().backward();

    assertTrue(expected.array().equalsWithEps(y.array(), 1e-6), "forward differs");
    assertTrue(y.array().minNumber().doubleValue() >= 0, "a ReLU's output is never negative");
    assertTrue(y.array().eq(0).castTo(DataType.INT).sumNumber().intValue() > 0, "some units are off, so the mask matters");
    assertTrue(plain[0].grad().equalsWithEps(fused[0].grad(), 1e-5), "input gradient differs");
    assertTrue(plain[1].grad().equalsWithEps(fused[1].grad(), 1e-5), "weight gradient differs");
    if (withBias) {
      assertTrue(plain[2].grad().equalsWithEps(fused[2].grad(), 1e-5), "bias gradient differs");
    } else {
      assertEquals(null, fused[2].grad(), "no bias, no bias gradient");
    }
  }
}
