package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Incompatible shapes fail at the op, with a ShapeException that names the op and the shapes. */
class ShapeErrorTest {

  private static Tensor zeros(long... shape) {
    return Tensor.zeros(DataType.DOUBLE, shape);
  }

  private static Tensor zeros(String shape) {
    return zeros(shape(shape));
  }

  /** Asserts a ShapeException whose message contains every given fragment. */
  private static void assertShapeError(Executable call, String... fragments) {
    ShapeException e = assertThrows(ShapeException.class, call);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' missing from: " + e.getMessage());
    }
  }

  private static String text(String shape) {
    return Arrays.toString(shape(shape));
  }

  @ParameterizedTest(name = "{0} of {1} and {2}")
  @CsvSource({
      "add, 2x3, 4",
      "sub, 2x3, 3x2",
      "mul, 4x1x3, 2x2",
      "div, 3, 2x4",
      "where, 2x3, 2x2",
      "gt, 2x3, 4",
      "lt, 2x3, 4",
      "ge, 5, 2x3",
      "le, 5, 2x3",
      "eq, 2x2, 3x3"})
  void binaryOpsNameThemselvesAndBothShapes(String op, String a, String b) {
    Tensor x = zeros(a);
    Tensor y = zeros(b);
    assertShapeError(() -> {
      switch (op) {
        case "add" -> x.add(y);
        case "sub" -> x.sub(y);
        case "mul" -> x.mul(y);
        case "div" -> x.div(y);
        case "where" -> Tensor.where(zeros(a), x, y);
        case "gt" -> x.gt(y);
        case "lt" -> x.lt(y);
        case "ge" -> x.ge(y);
        case "le" -> x.le(y);
        case "eq" -> x.eq(y);
        default -> throw new IllegalArgumentException(op);
      }
    }, op + ":", text(a), text(b));
  }

  @Test
  void whereChecksTheMaskAgainstTheValues() {
    assertShapeError(() -> Tensor.where(zeros(4), zeros(2, 3), zeros(3)), "where:", "[4]", "[2, 3]");
  }

  @ParameterizedTest(name = "matmul of {0} and {1}")
  @CsvSource({
      "2x3, 4x5",
      "2x3, 3",
      "2x3x4, 3x4x5",
      "2x3, 2x3x4",
      "3, 3"})
  void matmulNamesBothShapes(String a, String b) {
    assertShapeError(() -> zeros(a).matmul(zeros(b)), "matmul", text(a), text(b));
  }

  @Test
  void concatNamesTheAxisAndBothShapes() {
    assertShapeError(() -> Tensor.concat(0, List.of(zeros(2, 3), zeros(2, 4))), "concat", "axis 0", "[2, 3]", "[2, 4]");
    assertShapeError(() -> Tensor.concat(1, List.of(zeros(2, 3), zeros(2, 3, 1))), "concat", "[2, 3]", "[2, 3, 1]");
    assertShapeError(() -> Tensor.concat(2, List.of(zeros(2, 3), zeros(2, 3))), "concat", "axis 2", "[2, 3]");
  }

  @Test
  void reshapeNamesTheShapeAndTheTarget() {
    assertShapeError(() -> zeros(2, 3).reshape(4, -1), "reshape", "[2, 3]", "[4, -1]");
    assertShapeError(() -> zeros(2, 3).reshape(5), "reshape", "[2, 3]", "[5]");
    assertShapeError(() -> zeros(2, 3).reshape(-1, -1), "reshape", "[-1, -1]");
    assertShapeError(() -> zeros(2, 3).reshape(0, 6), "reshape", "[0, 6]");
  }

  @Test
  void conv2dNamesInputAndWeightOnAChannelMismatch() {
    assertShapeError(() -> zeros(1, 3, 5, 5).conv2d(zeros(2, 2, 3, 3), null, Conv2dSpec.defaults()),
        "conv2d", "[1, 3, 5, 5]", "[2, 2, 3, 3]", "channels");
  }

  @Test
  void conv2dChecksRanksBiasAndFit() {
    assertShapeError(() -> zeros(3, 5, 5).conv2d(zeros(2, 3, 3, 3), null, Conv2dSpec.defaults()),
        "conv2d", "[3, 5, 5]");
    assertShapeError(() -> zeros(1, 3, 5, 5).conv2d(zeros(2, 3, 3, 3), zeros(3), Conv2dSpec.defaults()),
        "conv2d", "bias", "[3]", "[2, 3, 3, 3]");
    assertShapeError(() -> zeros(1, 3, 2, 2).conv2d(zeros(2, 3, 3, 3), null, Conv2dSpec.defaults()),
        "conv2d", "[1, 3, 2, 2]", "3x3");
    // (2 - 3) / 2 truncates to 0, which would claim one output row; the floor is -1, none.
    assertShapeError(() -> zeros(1, 3, 2, 2).conv2d(zeros(2, 3, 3, 3), null, Conv2dSpec.of(2, 0, 1)),
        "conv2d", "[1, 3, 2, 2]", "3x3");
  }

  @Test
  void poolingChecksRankAndFit() {
    assertShapeError(() -> zeros(3, 4, 4).maxPool2d(Pool2dSpec.of(2, 2, 0)), "maxpool2d", "[3, 4, 4]");
    assertShapeError(() -> zeros(1, 1, 2, 2).avgPool2d(Pool2dSpec.of(3, 1, 0)), "avgpool2d", "[1, 1, 2, 2]");
    assertShapeError(() -> zeros(1, 1, 2, 2).maxPool2d(Pool2dSpec.of(3, 2, 0)), "maxpool2d", "[1, 1, 2, 2]");
  }

  @ParameterizedTest(name = "slice [{1}, {2}) along {0} of [2, 3]")
  @CsvSource({
      "1, 0, 4",
      "0, -1, 1",
      "1, 2, 2",
      "1, 2, 1"})
  void sliceOutOfRangeNamesTheRangeAndTheShape(int axis, long start, long end) {
    assertShapeError(() -> zeros(2, 3).slice(axis, start, end), "slice", "[" + start + ", " + end + ")", "[2, 3]");
  }

  @ParameterizedTest(name = "gather index {1} along {0} of [2, 3]")
  @CsvSource({
      "1, 3",
      "0, 2",
      "1, -1"})
  void gatherOutOfRangeNamesTheIndexAndTheShape(int axis, int index) {
    assertShapeError(() -> zeros(2, 3).gather(axis, 0, index), "gather", "index " + index, "[2, 3]");
  }

  @Test
  void axesOutOfRangeNameTheOp() {
    assertShapeError(() -> zeros(2, 3).softmax(2), "softmax", "axis 2", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).logSoftmax(-3), "log_softmax", "axis -3", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).sum(false, 2), "sum", "axis 2", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).max(true, 5), "max", "axis 5", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).slice(2, 0, 1), "slice", "axis 2", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).gather(-3, 0), "gather", "axis -3", "[2, 3]");
    assertShapeError(() -> zeros(2, 3).mean(false, 0, -2), "mean", "twice", "[0, -2]", "[2, 3]");
  }

  @Test
  void permuteAndTransposeNameTheShape() {
    assertShapeError(() -> zeros(2, 3, 4).permute(0, 1), "permute", "[0, 1]", "[2, 3, 4]");
    assertShapeError(() -> zeros(2, 3, 4).permute(0, 1, 1), "permute", "[0, 1, 1]", "[2, 3, 4]");
    assertShapeError(() -> zeros(3).transpose(), "transpose", "[3]");
  }

  @Test
  void backwardChecksTheGradientsShape() {
    Tensor x = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 2, 3));
    assertShapeError(() -> x.mul(2.0).backward(Nd4j.ones(DataType.DOUBLE, 3, 2)), "backward", "[2, 3]", "[3, 2]");
  }
}
