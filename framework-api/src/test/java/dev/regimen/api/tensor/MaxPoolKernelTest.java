package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** The max pooling loops against libnd4j's own maxpool2d and maxpool2d_bp, and on ties, where they differ on purpose. */
class MaxPoolKernelTest {

  private static int[] libnd4jArgs(Pool2dSpec s) {
    return new int[] {s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padH(), s.padW(), 1, 1, 0, 0, 0};
  }

  @ParameterizedTest(name = "{0}: kernel {1}, stride {2}, padding {3}, input {4}x{5}")
  @CsvSource({
      "FLOAT, 2, 2, 0, 28, 28",
      "FLOAT, 3, 2, 1, 14, 14",
      "FLOAT, 3, 1, 1, 7, 9",
      "FLOAT, 2, 3, 0, 8, 8",
      "DOUBLE, 2, 2, 0, 6, 6",
      "DOUBLE, 3, 2, 1, 5, 7"})
  void agreesWithLibnd4jWhereTheMaximaAreUnique(DataType type, int kernel, int stride, int padding, int h, int w) {
    Pool2dSpec spec = Pool2dSpec.of(kernel, stride, padding);
    Rng rng = new Rng(7);
    // 37 planes: more than one parallel block, and not a multiple of its size.
    INDArray x = rng.normal(type, 0, 1, 1, 37, h, w);
    int outH = (int) spec.outH(h);
    int outW = (int) spec.outW(w);
    MaxPoolKernel.Pooled pooled = MaxPoolKernel.forward(x, spec, outH, outW);
    INDArray expected = Nd4j.create(type, 1, 37, outH, outW);
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(expected)
        .addIntegerArguments(libnd4jArgs(spec)).build());
    assertEquals(expected, pooled.out());

    INDArray g = rng.normal(type, 0, 1, 1, 37, outH, outW);
    INDArray expectedGrad = Nd4j.create(type, x.shape());
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, g).addOutputs(expectedGrad)
        .addIntegerArguments(libnd4jArgs(spec)).build());
    INDArray grad = MaxPoolKernel.backward(g, pooled.argmax(), x.shape());
    assertTrue(expectedGrad.equalsWithEps(grad, 1e-6), "gradient differs from maxpool2d_bp");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FLOAT", "DOUBLE"})
  void aWindowOfEqualValuesPassesItsGradientToItsFirstInputOnly(DataType type) {
    // After a ReLU whole windows are zero: the gradient must go to one input per window, not to all four.
    Tensor x = Tensor.parameter(Nd4j.zeros(type, 2, 3, 4, 4));
    Tensor y = x.maxPool2d(Pool2dSpec.of(2, 2, 0));
    y.sum().backward();
    INDArray grad = x.grad();
    assertEquals(2 * 3 * 2 * 2, grad.sumNumber().intValue(), "one unit of gradient per window");
    assertEquals(1.0, grad.getDouble(0, 0, 0, 0));
    assertEquals(0.0, grad.getDouble(0, 0, 0, 1));
    assertEquals(0.0, grad.getDouble(0, 0, 1, 0));
    assertEquals(1.0, grad.getDouble(1, 2, 2, 2));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FLOAT", "DOUBLE"})
  void nanPropagatesAndPaddingNeverWins(DataType type) {
    Tensor x = Tensor.of(new double[] {-5, Double.NaN, -7, -8, -1, -2, -3, -4, -6}, 1, 1, 3, 3).cast(type);
    // kernel 2, stride 2, padding 1: windows {-5}, {NaN, -7}, {-8, -3}, {-1, -2, -4, -6}
    Tensor y = x.maxPool2d(Pool2dSpec.of(2, 2, 1));
    double[] got = y.array().castTo(DataType.DOUBLE).dup('c').data().asDouble();
    assertArrayEquals(new double[] {-5, Double.NaN, -3, -1}, got);
  }
}
