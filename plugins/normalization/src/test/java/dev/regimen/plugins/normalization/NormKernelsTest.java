package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 loops against libnd4j's moments, batchnorm and batchnorm_bp, on shapes with more
 * channels than one parallel task takes (13; 300 for the row-wise loops of dense input), dense,
 * convolutional and as row blocks.
 */
class NormKernelsTest {
  private static final double EPSILON = 1e-5;

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertTrue(diff <= tolerance * scale, what + ": max difference " + diff);
  }

  private static void compare(long[] shape, int axis) {
    Rng rng = new Rng(5);
    INDArray x = rng.normal(DataType.FLOAT, 2, 3, shape);
    INDArray g = rng.normal(DataType.FLOAT, 0, 1, shape);
    long c = shape[axis];
    INDArray gamma = rng.normal(DataType.FLOAT, 1, 0.5, c);
    INDArray beta = rng.normal(DataType.FLOAT, 0, 0.5, c);
    int[] reduced = FusedNorm.allBut(shape.length, axis);

    INDArray mean = Nd4j.create(DataType.FLOAT, c);
    INDArray var = Nd4j.create(DataType.FLOAT, c);
    Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x).addOutputs(mean, var).addIntegerArguments(reduced).build());
    INDArray[] moments = NormKernels.moments(x, axis);
    assertClose(mean, moments[0], 1e-5, "mean");
    assertClose(var, moments[1], 1e-4, "variance");

    INDArray y = Nd4j.create(DataType.FLOAT, shape);
    Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta).addOutputs(y)
        .addIntegerArguments(1, 1, axis).addFloatingPointArguments(EPSILON).build());
    assertClose(y, NormKernels.normalize(x, mean, var, gamma, beta, axis, EPSILON), 1e-5, "normalized");
    INDArray[] standardized = NormKernels.standardize(x, gamma, beta, axis, EPSILON);
    assertClose(y, standardized[0], 1e-5, "standardized in one pass");
    assertClose(mean, standardized[1], 1e-5, "its mean");
    assertClose(var, standardized[2], 1e-4, "its variance");

    INDArray dx = Nd4j.create(DataType.FLOAT, shape);
    INDArray[] small = {Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c),
        Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c)};
    Nd4j.getEnvironment().allowHelpers(false); // libnd4j's own loops as the reference, not oneDNN's
    try {
      Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(x, mean, var, gamma, beta, g)
          .addOutputs(dx, small[0], small[1], small[2], small[3]).addIntegerArguments(1, 1, axis)
          .addFloatingPointArguments(EPSILON).build());
    } finally {
      Nd4j.getEnvironment().allowHelpers(true);
    }
    INDArray[] grads = NormKernels.backward(x, mean, var, gamma, g, axis, EPSILON);
    assertClose(dx, grads[0], 1e-4, "dL/dx");
    assertClose(small[2], grads[1], 1e-4, "dL/dgamma");
    assertClose(small[3], grads[2], 1e-4, "dL/dbeta");
  }

  @Test
  void agreeWithLibnd4jOnConvolutionalInput() {
    compare(new long[] {6, 13, 5, 4}, 1);
  }

  @Test
  void agreeWithLibnd4jOnDenseInput() {
    compare(new long[] {32, 13}, 1);
  }

  /** More features than one row-wise task takes (128), and runs of an odd length (7, not a multiple of 4). */
  @Test
  void agreeWithLibnd4jOnWideDenseInputAndOddRuns() {
    compare(new long[] {9, 300}, 1);
    compare(new long[] {4, 6, 7}, 1);
  }

  @Test
  void agreeWithLibnd4jOnRowBlocks() {
    compare(new long[] {13, 40}, 0);
  }
}
