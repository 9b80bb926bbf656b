package dev.regimen.api.tensor;

import static dev.regimen.api.tensor.Draws.assertGradients;
import static dev.regimen.api.tensor.Draws.shape;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite-difference checks of the activations, softmax, log-softmax and where. */
class ActivationGradientTest {
  private final Draws draws = new Draws(41);

  @ParameterizedTest(name = "relu on {0}")
  @ValueSource(strings = {"2x3", "3x1x4"})
  void reluPassesTheGradientWhereTheInputIsPositive(String shape) {
    assertGradients(t -> t.get(0).relu(), draws.awayFromZero(shape(shape)));
  }

  @ParameterizedTest(name = "leakyRelu({0})")
  @ValueSource(doubles = {0.01, 0.2, 1.5})
  void leakyReluScalesTheGradientByAlphaWhereNegative(double alpha) {
    assertGradients(t -> t.get(0).leakyRelu(alpha), draws.awayFromZero(3, 4));
  }

  @ParameterizedTest(name = "elu({0})")
  @ValueSource(doubles = {1.0, 0.5, 2.0})
  void eluFollowsTheExponentialWhereNegative(double alpha) {
    assertGradients(t -> t.get(0).elu(alpha), draws.awayFromZero(3, 4));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
      "gelu, 3x4",
      "gelu, 2x1x3",
      "sigmoid, 3x4",
      "sigmoid, 2x1x3",
      "tanh, 3x4",
      "tanh, 2x1x3"})
  void smoothActivationsBackPropagate(String op, String shape) {
    assertGradients(t -> switch (op) {
      case "gelu" -> t.get(0).gelu();
      case "sigmoid" -> t.get(0).sigmoid();
      case "tanh" -> t.get(0).tanh();
      default -> throw new IllegalArgumentException(op);
    }, draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "softmax of {0} along {1}")
  @CsvSource({
      "3x4, 0",
      "3x4, 1",
      "3x4, -1",
      "2x3x4, 0",
      "2x3x4, 1",
      "2x3x4, 2",
      "5, 0"})
  void softmaxBackPropagatesAlongAnyAxis(String shape, int axis) {
    assertGradients(t -> t.get(0).softmax(axis), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "logSoftmax of {0} along {1}")
  @CsvSource({
      "3x4, 0",
      "3x4, 1",
      "3x4, -1",
      "2x3x4, 0",
      "2x3x4, 1",
      "2x3x4, 2",
      "5, 0"})
  void logSoftmaxBackPropagatesAlongAnyAxis(String shape, int axis) {
    assertGradients(t -> t.get(0).logSoftmax(axis), draws.normal(shape(shape)));
  }

  @ParameterizedTest(name = "where mask {0}, a {1}, b {2}")
  @CsvSource({
      "2x3, 2x3, 2x3",
      "2x3, 2x3, 3",
      "3, 2x3, 2x1",
      "2x1, 1x3, 2x3",
      "2x3x4, 4, 3x1",
      "2x3, 2x3, scalar"})
  void whereRoutesTheGradientByTheMask(String mask, String a, String b) {
    Tensor m = draws.mask(shape(mask));
    assertGradients(t -> Tensor.where(m, t.get(0), t.get(1)), draws.normal(shape(a)), draws.normal(shape(b)));
  }
}
