package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * libnd4j's fused ops against the same computation in plain Tensor ops ({@link Reference}): values
 * and the gradients of the input, gamma and beta, in float32 and float64. The float64 tolerance is
 * 1e-6, not 1e-12, because {@code batchnorm_bp} holds 1/N as a float32 (see {@link FusedNorm}).
 */
class FusedNormTest {
  private static final double EPSILON = 1e-5;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void batchStatisticsMatchPlainTensorOpsForDenseConvAndSequenceInput(String type) {
    for (long[] shape : new long[][] {{5, 4}, {3, 2, 4, 5}, {4, 3, 6}}) {
      long c = shape[1];
      compare(DataType.valueOf(type), "batchnorm " + Arrays.toString(shape),
          in -> FusedNorm.normalizeWithBatchStatistics(in.get(0), in.get(1), in.get(2), EPSILON).output(),
          in -> Reference.batchNorm(in.get(0), in.get(1), in.get(2), EPSILON),
          shape, new long[] {c}, new long[] {c});
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void batchStatisticsWithoutAffineMatchPlainTensorOps(String type) {
    compare(DataType.valueOf(type), "batchnorm without affine",
        in -> FusedNorm.normalizeWithBatchStatistics(in.get(0), null, null, EPSILON).output(),
        in -> Reference.batchNorm(in.get(0), null, null, EPSILON),
        new long[] {3, 2, 3, 3});
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void fixedStatisticsMatchPlainTensorOps(String type) {
    DataType t = DataType.valueOf(type);
    for (long[] shape : new long[][] {{5, 4}, {3, 4, 2, 3}}) {
      long c = shape[1];
      Rng rng = new Rng(31);
      INDArray mean = rng.normal(t, 0.5, 1, c);
      INDArray var = rng.uniform(t, 0.5, 2, c);
      compare(t, "batchnorm at evaluation " + Arrays.toString(shape),
          in -> FusedNorm.normalizeWithFixedStatistics(in.get(0), mean, var, in.get(1), in.get(2), EPSILON),
          in -> {
            int rank = in.get(0).rank();
            Tensor scale = Reference.perChannel(Tensor.of(var).add(EPSILON).sqrt(), rank);
            Tensor centered = in.get(0).sub(Reference.perChannel(Tensor.of(mean), rank));
            return centered.div(scale).mul(Reference.perChannel(in.get(1), rank))
                .add(Reference.perChannel(in.get(2), rank));
          },
          shape, new long[] {c}, new long[] {c});
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void blockStandardizationAndChannelAffineMatchPlainTensorOps(String type) {
    compare(DataType.valueOf(type), "group norm with 2 groups",
        in -> FusedNorm.channelAffine(FusedNorm.standardizeBlocks(in.get(0), 3 * 2, EPSILON), in.get(1), in.get(2)),
        in -> Reference.groupNorm(in.get(0), 2, in.get(1), in.get(2), EPSILON),
        new long[] {3, 4, 3, 5}, new long[] {4}, new long[] {4});
  }

  /**
   * Runs both functions on the same random inputs (input 0 scaled and shifted away from the standard
   * normal, so that the normalization has something to do) and compares outputs and gradients.
   */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private static void compare(DataType type, String what, Function<List<Tensor>, Tensor> fused,
      Function<List<Tensor>, Tensor> reference, long[]... shapes) {
    double tolerance = type == DataType.DOUBLE ? 1e-6 : 1e-4;
    Rng rng = new Rng(17);
    List<INDArray> values = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      INDArray v = rng.normal(type, 0, 1, shapes[i]);
      values.add(i == 0 ? v.muli(3).addi(2) : v.addi(1));
    }
    try (Tensor.GradScope ignored = Tensor.defaultType(type)) {
      Result a = run(fused, values, type);
      Result b = run(reference, values, type);
      assertClose(b.output, a.output, tolerance, what + ": output");
      for (int i = 0; i < values.size(); i++) {
        assertClose(b.gradients.get(i), a.gradients.get(i), tolerance, what + ": gradient of input " + i);
      }
    }
  }

  private record Result(INDArray output, List<INDArray> gradients) {}

  private static Result run(Function<List<Tensor>, Tensor> f, List<INDArray> values, DataType type) {
    List<Tensor> inputs = values.stream().map(v -> Tensor.parameter(v.dup())).toList();
    Tensor y = f.apply(inputs);
    INDArray projection = new Rng(23).normal(type, 0, 1, y.shape());
    y.mul(Tensor.of(projection)).sum().backward();
    return new Result(y.array(), inputs.stream().map(Tensor::grad).toList());
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double scale = expected.norm2Number().doubleValue();
    double error = expected.sub(actual).norm2Number().doubleValue() / Math.max(scale, 1e-12);
    assertTrue(error <= tolerance, what + ": relative error " + error + " above " + tolerance);
  }
}
