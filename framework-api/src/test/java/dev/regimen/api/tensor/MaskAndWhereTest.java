package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Comparison masks and where, with broadcasting. */
class MaskAndWhereTest {

  private static final Tensor A = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
  private static final Tensor ROW = Tensor.of(new double[] {2, 2, 6}, 3);

  private static double[] values(Tensor t) {
    return t.array().castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static Tensor compare(String op, Tensor a, Tensor b) {
    return switch (op) {
      case "gt" -> a.gt(b);
      case "lt" -> a.lt(b);
      case "ge" -> a.ge(b);
      case "le" -> a.le(b);
      case "eq" -> a.eq(b);
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static double[] parse(String text) {
    return java.util.Arrays.stream(text.split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  @ParameterizedTest(name = "{0}: [[1 2 3] [4 5 6]] against [2 2 6] gives {1}")
  @CsvSource({
      "gt, 0 0 0 1 1 0",
      "lt, 1 0 1 0 0 0",
      "ge, 0 1 0 1 1 1",
      "le, 1 1 1 0 0 1",
      "eq, 0 1 0 0 0 1"})
  void comparisonsBroadcastARowAgainstAMatrix(String op, String expected) {
    Tensor mask = compare(op, A, ROW);
    assertArrayEquals(new long[] {2, 3}, mask.shape());
    assertArrayEquals(parse(expected), values(mask), 0);
  }

  @ParameterizedTest(name = "{0} with the lower-rank operand first")
  @CsvSource({
      "gt, 1 0 1 0 0 0",
      "lt, 0 0 0 1 1 0",
      "ge, 1 1 1 0 0 1",
      "le, 0 1 0 1 1 1",
      "eq, 0 1 0 0 0 1"})
  void comparisonsBroadcastTheLowerRankOperandOnTheLeft(String op, String expected) {
    assertArrayEquals(parse(expected), values(compare(op, ROW, A)), 0);
  }

  @Test
  void comparisonsWithAColumnAndAScalar() {
    Tensor column = Tensor.of(new double[] {2, 5}, 2, 1);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1}, values(A.gt(column)), 0);
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1}, values(A.gt(3.5)), 0);
    assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0}, values(A.lt(3.5)), 0);
  }

  @Test
  void masksAreConstantsOfTheInputsType() {
    Tensor x = Tensor.parameter(A.array().dup());
    Tensor mask = x.gt(ROW);
    assertFalse(mask.requiresGrad());
    assertArrayEquals(new long[] {2, 3}, mask.shape());
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0}, values(mask), 0);
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0}, values(x.cast(DataType.FLOAT).gt(ROW)), 0);
  }

  @Test
  void whereChoosesElementWiseWithBroadcasting() {
    Tensor mask = Tensor.of(new double[] {1, 0, 2}, 3);
    Tensor b = Tensor.scalar(-1, DataType.DOUBLE);
    assertArrayEquals(new double[] {1, -1, 3, 4, -1, 6}, values(Tensor.where(mask, A, b)), 0);
    Tensor column = Tensor.of(new double[] {0, 1}, 2, 1);
    assertArrayEquals(new double[] {2, 2, 6, 4, 5, 6}, values(Tensor.where(column, A, ROW)), 0);
  }

  @Test
  void whereKeepsInfinitiesOfTheUnchosenSideOut() {
    Tensor mask = Tensor.of(new double[] {1, 0}, 2);
    Tensor a = Tensor.of(new double[] {1, Double.POSITIVE_INFINITY}, 2);
    Tensor b = Tensor.of(new double[] {Double.NaN, 2}, 2);
    assertArrayEquals(new double[] {1, 2}, values(Tensor.where(mask, a, b)), 0);
  }

  @Test
  void whereSendsEachSideOnlyItsChosenGradient() {
    Tensor a = Tensor.parameter(Tensor.of(new double[] {1, 2, 3}, 3).array());
    Tensor b = Tensor.parameter(Tensor.of(new double[] {4, 5, 6, 7, 8, 9}, 2, 3).array());
    Tensor mask = Tensor.of(new double[] {1, 0, 1, 0, 0, 1}, 2, 3);
    Tensor.where(mask, a, b).sum().backward();
    assertArrayEquals(new double[] {1, 0, 2}, a.grad().toDoubleVector(), 0);
    assertArrayEquals(new double[] {0, 1, 0, 1, 1, 0}, b.grad().dup('c').data().asDouble(), 0);
  }
}
