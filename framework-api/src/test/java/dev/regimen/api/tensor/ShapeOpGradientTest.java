package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.assertGradients;
import static dev.regimen.api.tensor.Draws.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Finite-difference checks of the ops that move elements around: reshape, permute, concat, slice, gather, cast. */
class ShapeOpGradientTest {
  private final Draws draws = new Draws(31);

  private static int[] ints(String text) {
    return Arrays.stream(text.split(" ")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "reshape {0} to {1}")
  @CsvSource({
      "2x3x4, 4x-1",
      "6x4, 24",
      "2x3x4, 3x2x2x2",
      "5, 1x5x1",
      "1, scalar"})
  void reshapeKeepsTheElementOrder(String from, String to) {
    long[] target = to.equals("scalar") ? new long[0] : Arrays.stream(to.split("x")).mapToLong(Long::parseLong).toArray();
    assertGradients(t -> t.get(0).reshape(target), draws.normal(shape(from)));
  }

  @ParameterizedTest(name = "permute {0} by ({1})")
  @CsvSource({
      "2x3x4, 2 0 1",
      "2x3x4, 1 0 2",
      "2x3x4, 0 1 2",
      "2x3x2x3, 3 1 0 2"})
  void permuteRoutesTheGradientThroughTheInversePermutation(String shape, String dims) {
    assertGradients(t -> t.get(0).permute(ints(dims)), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "transpose {0}")
  @CsvSource({"3x4", "2x3x4"})
  void transposeSwapsTheLastTwoDimensions(String shape) {
    assertGradients(t -> t.get(0).transpose(), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "concat along {0} of {1}, {2}, {3}")
  @CsvSource({
      "0, 1x3, 2x3, 3x3",
      "1, 2x1, 2x3, 2x2",
      "-1, 2x2x1, 2x2x3, 2x2x2",
      "1, 2x1x2, 2x3x2, 2x2x2"})
  void concatSlicesTheGradientBackIntoThePieces(int axis, String a, String b, String c) {
    assertGradients(t -> Tensor.concat(axis, t),
        draws.normal(shape(a)), draws.normal(shape(b)), draws.normal(shape(c)));
  }

  @ParameterizedTest(name = "slice [{1}, {2}) along {0} of 3x4x5")
  @CsvSource({
      "0, 1, 3",
      "1, 0, 1",
      "2, 2, 5",
      "-1, 1, 4",
      "1, 0, 4"})
  void sliceScattersTheGradientIntoZeros(int axis, long start, long end) {
    assertGradients(t -> t.get(0).slice(axis, start, end), draws.normal(3, 4, 5));
  }

  @ParameterizedTest(name = "gather [{1}] along {0} of 3x4x5")
  @CsvSource({
      "0, 2 0 2 2",
      "1, 1 1 3",
      "2, 4 0 4 1 0",
      "-1, 3",
      "1, 3 2 1 0"})
  void gatherAddsTheGradientAtRepeatedIndices(int axis, String indices) {
    assertGradients(t -> t.get(0).gather(axis, ints(indices)), draws.normal(3, 4, 5));
  }

  /**
   * Through float32 and back: the values are rounded to float32 (relative error ~6e-8), so the
   * default step of 1e-6 would measure rounding noise. The function is linear, for which central
   * differences are exact at any step: a step of 0.25 keeps the rounding noise near 1e-7 and the
   * default tolerance applies.
   */
  @Test
  void castConvertsTheGradientBackToTheInputType() {
    assertGradients(GradientCheck.defaults().withStep(0.25),
        t -> t.get(0).cast(DataType.FLOAT).mul(3.0).cast(DataType.DOUBLE), draws.normal(2, 3));
    Tensor x = draws.normal(2, 3);
    x.cast(DataType.FLOAT).sum().backward();
    assertEquals(DataType.DOUBLE, x.grad().dataType());
  }

  @Test
  void castToTheSameTypeIsTheIdentity() {
    Tensor x = draws.normal(2, 3);
    assertEquals(x, x.cast(DataType.DOUBLE));
    assertGradients(t -> t.get(0).cast(DataType.DOUBLE).mul(t.get(0)), x);
  }

  @Test
  void chainsOfShapeOpsCompose() {
    assertGradients(t -> Tensor.concat(0, List.of(
            t.get(0).permute(1, 0, 2).reshape(3, 8).slice(1, 2, 7),
            t.get(0).gather(2, 1, 1, 0, 3, 2).sum(false, 0).transpose().transpose()))
        .mul(t.get(0).reshape(-1).slice(0, 0, 5)), draws.normal(2, 3, 4));
  }
}
