package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The checker that every gradient test relies on must itself fail on a wrong gradient. */
class GradientCheckTest {
  private final Draws draws = new Draws(71);

  @Test
  void catchesAGradientOffByAFactor() {
    Tensor x = draws.normal(2, 3);
    GradientCheck.Result result = GradientCheck.defaults().check(t -> Tensor.fromOp("twice", t.get(0).array().mul(2),
        t, g -> new INDArray[] {g}), List.of(x), new Rng(1));
    assertFalse(result.passed(), result.worst());
  }

  @Test
  void catchesAGradientRoutedToTheWrongElement() {
    Tensor x = draws.normal(2, 3);
    GradientCheck.Result result = GradientCheck.defaults().check(t -> Tensor.fromOp("flip", t.get(0).array().dup(),
        t, g -> new INDArray[] {g.reshape(3, 2).transpose().reshape(2, 3).dup()}), List.of(x), new Rng(1));
    assertFalse(result.passed(), result.worst());
  }

  @Test
  void catchesAMissingGradient() {
    Tensor x = draws.normal(2, 3);
    Tensor y = draws.normal(2, 3);
    GradientCheck.Result result = GradientCheck.defaults().check(t -> Tensor.fromOp("product",
        t.get(0).array().mul(t.get(1).array()), t, g -> new INDArray[] {g.mul(t.get(1).array()), null}),
        List.of(x, y), new Rng(1));
    assertFalse(result.passed(), result.worst());
  }

  @Test
  void passesACorrectGradientAndRestoresTheInputs() {
    Tensor x = draws.normal(2, 3);
    double[][] before = x.array().toDoubleMatrix();
    assertTrue(GradientCheck.defaults().check(t -> t.get(0).tanh(), List.of(x), new Rng(1)).passed());
    assertArrayEquals(before, x.array().toDoubleMatrix());
  }

  @Test
  void needsFloat64Parameters() {
    Tensor single = Tensor.parameter(draws.rng().normal(DataType.FLOAT, 0, 1, 2));
    Tensor constant = Tensor.of(draws.rng().normal(DataType.DOUBLE, 0, 1, 2));
    assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().check(t -> t.get(0), List.of(single), new Rng(1)));
    assertThrows(IllegalArgumentException.class,
        () -> GradientCheck.defaults().check(t -> t.get(0), List.of(constant), new Rng(1)));
  }

  @Test
  void worksOnParametersOfAnyMemoryLayout() {
    Tensor fortranOrder = Tensor.parameter(draws.rng().normal(DataType.DOUBLE, 0, 1, 3, 4).dup('f'));
    Tensor view = Tensor.parameter(draws.rng().normal(DataType.DOUBLE, 0, 1, 4, 3).transpose());
    GradientCheck.Result result = GradientCheck.defaults().check(t -> t.get(0).mul(t.get(1)).tanh(),
        List.of(fortranOrder, view), new Rng(1));
    assertTrue(result.passed(), result.worst());
  }
}
