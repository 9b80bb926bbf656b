package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.assertGradients;
import static dev.regimen.api.tensor.Draws.shape;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite-difference checks of the element-wise arithmetic ops and matmul, in float64. */
class ArithmeticGradientTest {
  private final Draws draws = new Draws(11);

  private static final List<List<String>> BROADCAST_PAIRS = List.of(
      List.of("2x3", "2x3"),
      List.of("2x3", "3"),
      List.of("3", "2x3"),
      List.of("2x1", "1x3"),
      List.of("4x1x3", "2x3"),
      List.of("2x3", "1"),
      List.of("2x3", "scalar"),
      List.of("scalar", "2x3"));

  static Stream<Arguments> binaryCases() {
    return Stream.of("add", "sub", "mul", "div")
        .flatMap(op -> BROADCAST_PAIRS.stream().map(p -> Arguments.of(op, p.get(0), p.get(1))));
  }

  private static Tensor binary(String op, Tensor a, Tensor b) {
    return switch (op) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      default -> throw new IllegalArgumentException(op);
    };
  }

  @ParameterizedTest(name = "{0} of {1} and {2}")
  @MethodSource("binaryCases")
  void binaryOpsSumGradientsBackOverBroadcastDimensions(String op, String a, String b) {
    Tensor x = draws.normal(shape(a));
    Tensor y = op.equals("div") ? draws.awayFromZero(shape(b)) : draws.normal(shape(b));
    assertGradients(t -> binary(op, t.get(0), t.get(1)), x, y);
  }

  @ParameterizedTest(name = "{0} with a constant right operand")
  @ValueSource(strings = {"add", "sub", "mul", "div"})
  void binaryOpsDifferentiateTheLeftOperandAloneWhenTheRightIsConstant(String op) {
    Tensor x = draws.normal(2, 3);
    Tensor constant = Tensor.of(draws.awayFromZero(3).array());
    assertGradients(t -> binary(op, t.get(0), constant), x);
  }

  @ParameterizedTest(name = "{0} with a constant left operand")
  @ValueSource(strings = {"add", "sub", "mul", "div"})
  void binaryOpsDifferentiateTheRightOperandAloneWhenTheLeftIsConstant(String op) {
    Tensor constant = Tensor.of(draws.normal(2, 1).array());
    Tensor y = draws.awayFromZero(2, 3);
    assertGradients(t -> binary(op, constant, t.get(0)), y);
  }

  @ParameterizedTest(name = "{0} {1} on {2}")
  @CsvSource({
      "add, 2.5, 2x3",
      "add, -1.5, scalar",
      "sub, 0.75, 4",
      "mul, -3.0, 2x3",
      "mul, 0.5, 2x1x3",
      "div, 4.0, 2x3",
      "div, -0.25, 5"})
  void scalarFormsHaveTheirConstantSlopes(String op, double c, String shape) {
    Tensor x = draws.normal(shape(shape));
    assertGradients(t -> switch (op) {
      case "add" -> t.get(0).add(c);
      case "sub" -> t.get(0).sub(c);
      case "mul" -> t.get(0).mul(c);
      case "div" -> t.get(0).div(c);
      default -> throw new IllegalArgumentException(op);
    }, x);
  }

  @ParameterizedTest(name = "neg on {0}")
  @ValueSource(strings = {"2x3", "5", "scalar"})
  void negFlipsTheGradient(String shape) {
    assertGradients(t -> t.get(0).neg(), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "x^{0}")
  @ValueSource(doubles = {2, 3, 0.5, -1.5, 1, 0.3})
  void powOfPositiveInputsFollowsThePowerRule(double p) {
    assertGradients(t -> t.get(0).pow(p), draws.positive(2, 3));
  }

  @ParameterizedTest(name = "x^{0} for negative x")
  @ValueSource(doubles = {2, 3, -1})
  void powWithAnIntegerExponentWorksForNegativeInputs(double p) {
    assertGradients(t -> t.get(0).pow(p), draws.awayFromZero(2, 3));
  }

  @ParameterizedTest(name = "exp on {0}")
  @ValueSource(strings = {"2x3", "4x1x2"})
  void expScalesTheGradientByItsOutput(String shape) {
    assertGradients(t -> t.get(0).exp(), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "log on {0}")
  @ValueSource(strings = {"2x3", "4x1x2"})
  void logDividesTheGradientByItsPositiveInput(String shape) {
    assertGradients(t -> t.get(0).log(), draws.positive(shape(shape)));
  }

  @ParameterizedTest(name = "sqrt on {0}")
  @ValueSource(strings = {"2x3", "4x1x2"})
  void sqrtOfPositiveInputsDividesTheGradientByTwiceItsOutput(String shape) {
    assertGradients(t -> t.get(0).sqrt(), draws.positive(shape(shape)));
  }

  @ParameterizedTest(name = "abs on {0}")
  @ValueSource(strings = {"2x3", "4x1x2"})
  void absPassesTheGradientWithTheInputsSign(String shape) {
    assertGradients(t -> t.get(0).abs(), draws.awayFromZero(shape(shape)));
  }

  @Test
  void clampPassesTheGradientInsideTheBoundsAndNoneOutside() {
    assertGradients(t -> t.get(0).clamp(-0.5, 0.5), draws.awayFromHalf(4, 5));
  }

  @ParameterizedTest(name = "{0} @ {1}")
  @CsvSource({
      "2x3, 3x4",
      "1x5, 5x1",
      "4x1, 1x3",
      "3x3, 3x3",
      "2x3x4, 2x4x5",
      "3x1x2, 3x2x2"})
  void matmulBackPropagatesInTwoAndThreeDimensions(String a, String b) {
    assertGradients(t -> t.get(0).matmul(t.get(1)), draws.normal(shape(a)), draws.normal(shape(b)));
  }

  @Test
  void matmulOfATransposedOperandBackPropagates() {
    assertGradients(t -> t.get(0).transpose().matmul(t.get(1)), draws.normal(3, 2), draws.normal(3, 4));
  }

  @Test
  void linearBackPropagatesToInputWeightAndBias() {
    assertGradients(t -> t.get(0).linear(t.get(1), t.get(2)), draws.normal(4, 3), draws.normal(3, 5), draws.normal(5));
  }

  @Test
  void linearWithoutBiasIsTheMatrixProduct() {
    assertGradients(t -> t.get(0).linear(t.get(1), null), draws.normal(2, 3), draws.normal(3, 2));
  }

  @Test
  void linearReluBackPropagatesToInputWeightAndBias() {
    assertGradients(t -> t.get(0).linearRelu(t.get(1), t.get(2)), draws.normal(4, 3), draws.normal(3, 5), draws.normal(5));
    assertGradients(t -> t.get(0).linearRelu(t.get(1), null), draws.normal(2, 3), draws.normal(3, 2));
  }
}
