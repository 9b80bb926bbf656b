package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The graph walk itself: accumulation, no-grad scopes, seeding, leaves and intermediates. */
class BackwardTest {
  private final Draws draws = new Draws(61);

  private static double[] flat(INDArray a) {
    return a.dup('c').data().asDouble();
  }

  @Test
  void aTensorUsedTwiceReceivesTheSumOfItsGradients() {
    Tensor x = draws.normal(2, 3);
    Tensor y = x.mul(x).add(x);
    y.sum().backward();
    // d(x^2 + x)/dx = 2x + 1
    INDArray expected = x.array().mul(2).add(1);
    assertArrayEquals(flat(expected), flat(x.grad()), 1e-15);
    Draws.assertGradients(t -> t.get(0).mul(t.get(0)).add(t.get(0)), draws.normal(2, 3));
  }

  @Test
  void aDiamondSumsBothPaths() {
    Tensor x = draws.normal(3);
    Tensor a = x.mul(2.0);
    Tensor b = x.exp();
    a.mul(b).sum().backward();
    // d(2x e^x)/dx = 2 e^x (1 + x)
    INDArray e = Transforms.exp(x.array(), true);
    assertArrayEquals(e.mul(x.array().add(1)).mul(2).toDoubleVector(), x.grad().toDoubleVector(), 1e-12);
  }

  @Test
  void noGradRecordsNothing() {
    Tensor x = draws.normal(2, 3);
    Tensor y;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      assertFalse(Tensor.isGradEnabled());
      y = x.mul(x).sum();
    }
    assertTrue(Tensor.isGradEnabled());
    assertFalse(y.requiresGrad());
    assertThrows(IllegalStateException.class, y::backward);
    assertNull(x.grad());
  }

  @Test
  void noGradScopesNestAndCloseOnce() {
    Tensor.GradScope outer = Tensor.noGrad();
    Tensor.GradScope inner = Tensor.noGrad();
    inner.close();
    inner.close();
    assertFalse(Tensor.isGradEnabled(), "closing the inner scope twice must not reopen the outer one");
    outer.close();
    assertTrue(Tensor.isGradEnabled());
    assertTrue(draws.normal(2).mul(2.0).requiresGrad());
  }

  @Test
  void backwardOnANonScalarNeedsAnExplicitGradient() {
    Tensor x = draws.normal(2, 3);
    Tensor y = x.mul(3.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());

    INDArray g = draws.rng().normal(DataType.DOUBLE, 0, 1, 2, 3);
    y.backward(g);
    assertArrayEquals(flat(g.mul(3)), flat(x.grad()), 1e-15);
  }

  @Test
  void backwardOnAOneElementTensorSeedsOne() {
    Tensor x = draws.normal(1, 1);
    x.mul(5.0).backward();
    assertEquals(5.0, x.grad().getDouble(0), 0);
  }

  @Test
  void backwardOnAConstantIsAnError() {
    assertThrows(IllegalStateException.class, () -> Tensor.scalar(1, DataType.DOUBLE).backward());
  }

  @Test
  void leavesAccumulateAcrossBackwardCallsUntilZeroed() {
    Tensor x = draws.normal(2);
    x.mul(3.0).sum().backward();
    x.mul(3.0).sum().backward();
    assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleVector(), 0);
    x.zeroGrad();
    assertNull(x.grad());
    x.mul(3.0).sum().backward();
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleVector(), 0);
  }

  @Test
  void intermediatesDropTheirGradientsAndConstantsGetNone() {
    Tensor x = draws.normal(2);
    Tensor c = Tensor.of(draws.normal(2).array());
    Tensor hidden = x.mul(c);
    hidden.sum().backward();
    assertNull(hidden.grad());
    assertNull(c.grad());
    assertArrayEquals(c.array().toDoubleVector(), x.grad().toDoubleVector(), 0);
  }

  @Test
  void leafGradientsAreTheirOwnArrays() {
    Tensor x = draws.normal(2, 3);
    Tensor y = draws.normal(2, 3);
    x.add(y).sum().backward();
    assertNotSame(x.grad(), y.grad());
    x.grad().muli(10);
    assertArrayEquals(new double[] {1, 1, 1}, y.grad().getRow(0).toDoubleVector(), 0,
        "scaling one parameter's gradient in place must not touch another's");

    Tensor z = draws.normal(3);
    INDArray seed = Nd4j.ones(DataType.DOUBLE, 3);
    z.backward(seed);
    z.grad().muli(2);
    assertArrayEquals(new double[] {1, 1, 1}, seed.toDoubleVector(), 0, "the caller's gradient must not change");
  }

  @Test
  void detachStopsTheGradient() {
    Tensor x = draws.normal(3);
    x.mul(x.detach()).sum().backward();
    assertArrayEquals(x.array().toDoubleVector(), x.grad().toDoubleVector(), 0);
  }

  @Test
  void float32ParametersGetFloat32Gradients() {
    Tensor x = Tensor.parameter(draws.rng().normal(DataType.FLOAT, 0, 1, 2, 3));
    x.mul(Tensor.of(draws.rng().normal(DataType.FLOAT, 0, 1, 3))).sum().backward();
    assertEquals(DataType.FLOAT, x.grad().dataType());
  }

  @Test
  void aDeepChainDoesNotOverflowTheStack() {
    Tensor x = draws.normal(2);
    Tensor y = x;
    for (int i = 0; i < 5000; i++) {
      y = y.add(1.0);
    }
    y.sum().backward();
    assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleVector(), 0);
  }

  @Test
  void opsFromPluginsTakePartInBackward() {
    Tensor x = draws.normal(2, 3);
    Tensor cube = Tensor.fromOp("cube", x.array().mul(x.array()).mul(x.array()), List.of(x),
        g -> new INDArray[] {g.mul(x.array().mul(x.array())).mul(3)});
    assertEquals("cube", cube.op());
    assertTrue(cube.requiresGrad());
    Draws.assertGradients(t -> Tensor.fromOp("cube", t.get(0).array().mul(t.get(0).array()).mul(t.get(0).array()),
        t, g -> new INDArray[] {g.mul(t.get(0).array().mul(t.get(0).array())).mul(3)}), draws.normal(2, 3));
  }

  @Test
  void parametersMustBeFloatingPoint() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.parameter(Nd4j.createFromArray(1, 2, 3)));
  }

  @Test
  void maxSharesTheGradientEquallyAmongTies() {
    Tensor x = Tensor.parameter(Tensor.of(new double[] {1, 3, 3, 2, 5, 4}, 2, 3).array());
    Tensor y = x.max(false, 1);
    assertArrayEquals(new double[] {3, 5}, y.array().toDoubleVector(), 0);
    y.sum().backward();
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0, 1, 0}, flat(x.grad()), 0);
  }

  @Test
  void scalarDivisionIsATrueDivision() {
    double[] values = {1, 7, 0.1, 49};
    Tensor x = Tensor.of(values, 4);
    double[] expected = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      expected[i] = values[i] / 49;
    }
    assertArrayEquals(expected, x.div(49).array().toDoubleVector(), 0);
  }
}
