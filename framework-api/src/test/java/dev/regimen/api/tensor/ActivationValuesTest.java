package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Activation, softmax and log-softmax outputs against known values, including extreme logits. */
class ActivationValuesTest {

  private static double[] values(Tensor t) {
    return t.array().castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static Tensor vector(DataType type, double... v) {
    return Tensor.of(v, v.length).cast(type);
  }

  @ParameterizedTest(name = "gelu({0}) = {1}")
  @CsvSource({
      "1, 0.8413447460685429",
      "-1, -0.15865525393145707",
      "0, 0",
      "2, 1.9544997361036416",
      "-3, -0.004049694746329",
      "0.5, 0.34573123063700656"})
  void geluIsTheExactErfForm(double x, double expected) {
    // The tanh approximation gives 0.841192 at 1: a tolerance of 1e-9 tells the two apart.
    assertEquals(expected, Tensor.scalar(x, DataType.DOUBLE).gelu().item(), 1e-9);
    assertEquals(expected, Tensor.scalar(x, DataType.FLOAT).gelu().item(), 1e-6);
  }

  @Test
  void reluLeakyReluAndEluMatchTheirDefinitions() {
    Tensor x = vector(DataType.DOUBLE, -2, -0.5, 0.5, 3);
    assertArrayEquals(new double[] {0, 0, 0.5, 3}, values(x.relu()), 0);
    assertArrayEquals(new double[] {-0.2, -0.05, 0.5, 3}, values(x.leakyRelu(0.1)), 1e-15);
    assertArrayEquals(new double[] {2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0.5, 3}, values(x.elu(2)), 1e-15);
  }

  @Test
  void sigmoidAndTanhMatchJavasMath() {
    Tensor x = vector(DataType.DOUBLE, -2, 0, 1);
    assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-1))}, values(x.sigmoid()), 1e-12);
    assertArrayEquals(new double[] {Math.tanh(-2), 0, Math.tanh(1)}, values(x.tanh()), 1e-12);
  }

  @ParameterizedTest(name = "along axis {0}")
  @ValueSource(ints = {0, 1, -1})
  void softmaxSumsToOneAlongItsAxis(int axis) {
    Tensor x = Tensor.of(new Rng(5).normal(DataType.DOUBLE, 0, 3, 4, 5));
    Tensor y = x.softmax(axis);
    int other = x.axis(axis) == 0 ? 1 : 0;
    double[] sums = values(y.sum(false, axis));
    assertEquals(x.size(other), sums.length);
    for (double s : sums) {
      assertEquals(1.0, s, 1e-12);
    }
    assertTrue(Arrays.stream(values(y)).allMatch(v -> v > 0 && v < 1));
  }

  @ParameterizedTest(name = "along axis {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void softmaxOfAnImageBatchIsTheNormalizedExponentialAlongItsAxis(int axis) {
    Tensor x = Tensor.of(new Rng(7).normal(DataType.DOUBLE, 0, 2, 2, 3, 4, 5));
    double[] y = values(x.softmax(axis));
    double[] e = values(Tensor.of(Transforms.exp(x.array(), true)));
    double[] sums = values(Tensor.of(Transforms.exp(x.array(), true)
        .sum(true, axis).broadcast(x.shape())));
    for (int i = 0; i < y.length; i++) {
      assertEquals(e[i] / sums[i], y[i], 1e-12, "element " + i);
    }
    Tensor rank3 = Tensor.of(new Rng(8).normal(DataType.DOUBLE, 0, 2, 2, 3, 4));
    for (double s : values(rank3.softmax(axis % 3).sum(false, axis % 3))) {
      assertEquals(1.0, s, 1e-12);
    }
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void softmaxIsStableForLargeLogits(DataType type) {
    // The same as softmax([0, 1, 2]) and softmax([-1, 0, 1]): shifting logits changes nothing.
    double[] expected = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
    assertArrayEquals(expected, values(vector(type, 1000, 1001, 1002).softmax(0)), 1e-6);
    assertArrayEquals(expected, values(vector(type, -1001, -1000, -999).softmax(0)), 1e-6);
    assertArrayEquals(new double[] {1, 0}, values(vector(type, 1000, -1000).softmax(0)), 0);
  }

  @ParameterizedTest(name = "in {0}")
  @ValueSource(strings = {"FLOAT", "DOUBLE"})
  void logSoftmaxIsStableForLargeLogits(DataType type) {
    double lse = Math.log(1 + Math.E + Math.E * Math.E);
    double[] expected = {-lse, 1 - lse, 2 - lse};
    assertArrayEquals(expected, values(vector(type, 1000, 1001, 1002).logSoftmax(0)), 1e-5);
    assertArrayEquals(expected, values(vector(type, -1001, -1000, -999).logSoftmax(0)), 1e-5);
    // The loser's log-probability is -2000, not -infinity.
    assertArrayEquals(new double[] {0, -2000}, values(vector(type, 1000, -1000).logSoftmax(0)), 1e-3);
  }

  @Test
  void logSoftmaxIsTheLogarithmOfSoftmax() {
    Tensor x = Tensor.of(new Rng(6).normal(DataType.DOUBLE, 0, 2, 3, 4));
    for (int axis = 0; axis < 2; axis++) {
      assertArrayEquals(values(x.softmax(axis).log()), values(x.logSoftmax(axis)), 1e-12);
    }
  }

  @Test
  void softmaxOfLargeLogitsHasFiniteGradients() {
    Tensor x = Tensor.parameter(Tensor.of(new double[] {1000, 1001, 1002, -1000}, 4).array());
    x.logSoftmax(0).mul(Tensor.of(new double[] {1, 2, 3, 4}, 4)).sum().backward();
    assertTrue(Arrays.stream(x.grad().toDoubleVector()).allMatch(Double::isFinite));
    x.zeroGrad();
    x.softmax(0).mul(Tensor.of(new double[] {1, 2, 3, 4}, 4)).sum().backward();
    assertTrue(Arrays.stream(x.grad().toDoubleVector()).allMatch(Double::isFinite));
  }
}
