package dev.regimen.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each optimizer against steps worked out by hand from p = [1, -2] and gradients [0.5, 1], then [-1, 2]. */
class OptimizersTest {
  private static final double[] START = {1, -2};
  private static final double[] G1 = {0.5, 1};
  private static final double[] G2 = {-1, 2};
  private static final double TOLERANCE = 1e-12;

  @Test
  void plainSgdStepsAgainstTheGradient() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer sgd = new Sgd(0.1);
    step(sgd, p, G1);
    assertValues(p, 0.95, -2.1);
    assertTrue(sgd.state().isEmpty());
  }

  @Test
  void sgdMomentumTwoSteps() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer sgd = new Sgd(0.1, 0.9, false);
    // v = g1 = [0.5, 1]; p = [1, -2] - 0.1 v
    step(sgd, p, G1);
    assertValues(p, 0.95, -2.1);
    // v = 0.9 [0.5, 1] + [-1, 2] = [-0.55, 2.9]; p = [0.95, -2.1] - 0.1 v
    step(sgd, p, G2);
    assertValues(p, 1.005, -2.39);
    assertArrayEquals(new double[] {-0.55, 2.9}, sgd.state().get("dense.weight.velocity").toDoubleVector(), TOLERANCE);
  }

  @Test
  void sgdNesterovTwoSteps() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer sgd = new Sgd(0.1, 0.9, true);
    // v = [0.5, 1]; p = [1, -2] - 0.1 (g + 0.9 v) = [1, -2] - 0.1 [0.95, 1.9]
    step(sgd, p, G1);
    assertValues(p, 0.905, -2.19);
    // v = [-0.55, 2.9]; g + 0.9 v = [-1.495, 4.61]
    step(sgd, p, G2);
    assertValues(p, 1.0545, -2.651);
  }

  @Test
  void adamOneAndTwoSteps() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer adam = new Adam(0.1);
    // m = 0.1 g, v = 0.001 g^2, so m_hat = g and v_hat = g^2: p -= 0.1 g / (|g| + 1e-8)
    step(adam, p, G1);
    assertValues(p, 1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 - 0.1 * 1 / (1 + 1e-8));
    assertValues(p, 0.900000002, -2.099999999);
    // m = [-0.055, 0.29], v = [0.00124975, 0.00499900]; m_hat = m / 0.19, v_hat = v / 0.001999
    step(adam, p, G2);
    assertValues(p, 0.9366103542405654, -2.1965182009718336);
    Map<String, INDArray> state = adam.state();
    assertEquals(List.of("dense.weight.m", "dense.weight.v", "dense.weight.step"), List.copyOf(state.keySet()));
    assertArrayEquals(new double[] {-0.055, 0.29}, state.get("dense.weight.m").toDoubleVector(), TOLERANCE);
    assertArrayEquals(new double[] {0.00124975, 0.004999}, state.get("dense.weight.v").toDoubleVector(), TOLERANCE);
    assertEquals(2.0, state.get("dense.weight.step").getDouble(0));
    assertEquals(2, adam.steps());
  }

  @Test
  void adamwDecaysWeightsOnly() {
    Parameter weight = parameter("dense.weight", true, 2, -4);
    Parameter bias = parameter("dense.bias", false, 2, -4);
    Optimizer adamw = new AdamW(0.1, 0.5);
    // a zero gradient moves nothing through Adam (0 / (0 + eps)), so only the decay p -= 0.1 * 0.5 p shows
    setGrad(weight, 0, 0);
    setGrad(bias, 0, 0);
    adamw.step(List.of(weight, bias));
    assertValues(weight, 1.9, -3.8);
    assertValues(bias, 2, -4);
  }

  @Test
  void adamwTwoStepsDecayThenAdam() {
    Parameter weight = parameter("dense.weight", true, START);
    Parameter bias = parameter("dense.bias", false, START);
    Optimizer adamw = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.5);
    Adam adam = new Adam(0.1);
    Parameter reference = parameter("dense.bias", false, START);
    // step 1: p = 0.95 [1, -2], then Adam's step of 0.1 sign(g)
    stepBoth(adamw, weight, bias, G1);
    step(adam, reference, G1);
    assertValues(weight, 0.95 - 0.1 * 0.5 / (0.5 + 1e-8), -1.9 - 0.1 / (1 + 1e-8));
    stepBoth(adamw, weight, bias, G2);
    step(adam, reference, G2);
    assertValues(weight, 0.8441103541405653, -1.9965182010218334);
    assertArrayEquals(reference.value().array().toDoubleVector(), bias.value().array().toDoubleVector(), 0.0);
  }

  @Test
  void rmspropOneAndTwoSteps() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer rmsprop = new RmsProp(0.01);
    // v = 0.01 g^2, so sqrt(v) = 0.1 |g|: p -= 0.01 g / (0.1 |g| + 1e-8)
    step(rmsprop, p, G1);
    assertValues(p, 1 - 0.01 * 0.5 / (0.05 + 1e-8), -2 - 0.01 / (0.1 + 1e-8));
    // v = 0.99 * 0.01 g1^2 + 0.01 g2^2 = [0.012475, 0.0499]
    step(rmsprop, p, G2);
    assertValues(p, 0.9895323081911337, -2.189532282199154);
    assertArrayEquals(new double[] {0.012475, 0.0499},
        rmsprop.state().get("dense.weight.square_avg").toDoubleVector(), TOLERANCE);
  }

  @Test
  void rmspropWithMomentumTwoSteps() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer rmsprop = new RmsProp(0.01, 0.99, 1e-8, 0.9);
    step(rmsprop, p, G1);
    assertValues(p, 0.900000019999996, -2.099999990000001);
    step(rmsprop, p, G2);
    assertValues(p, 0.8995323261911301, -2.279532273199155);
  }

  @Test
  void lionTwoStepsMoveEachCoordinateByTheLearningRateInTheSignOfTheInterpolation() {
    Parameter p = parameter("dense.weight", true, START);
    Lion lion = new Lion(0.1, 0.9, 0.99, 0);
    // c = 0.1 g1 = [0.05, 0.1]: p -= 0.1 sign(c); m = 0.01 g1 = [0.005, 0.01]
    step(lion, p, G1);
    assertValues(p, 0.9, -2.1);
    assertArrayEquals(new double[] {0.005, 0.01}, lion.state().get("dense.weight.m").toDoubleVector(), TOLERANCE);
    // g = [-0.01, 2]: c = 0.9 m + 0.1 g = [0.0035, 0.209], so the first coordinate keeps going up
    // although its gradient says down; m = 0.99 m + 0.01 g = [0.00485, 0.0299]
    step(lion, p, -0.01, 2);
    assertValues(p, 0.8, -2.2);
    assertArrayEquals(new double[] {0.00485, 0.0299}, lion.state().get("dense.weight.m").toDoubleVector(),
        TOLERANCE);
    assertEquals(List.of("dense.weight.m"), List.copyOf(lion.state().keySet()));
  }

  @Test
  void lionDecaysWeightsOnlyBeforeItsSignStep() {
    Parameter weight = parameter("dense.weight", true, START);
    Parameter bias = parameter("dense.bias", false, START);
    Lion lion = new Lion(0.1, 0.9, 0.99, 0.5);
    // weight: p = 0.95 p - 0.1 sign(c) = [0.85, -2.0], then 0.95 [0.85, -2.0] - 0.1 [-1, 1]
    stepBoth(lion, weight, bias, G1);
    stepBoth(lion, weight, bias, G2);
    assertValues(weight, 0.9075, -2.0);
    assertValues(bias, 1.0, -2.2);
  }

  @Test
  void lambTwoStepsScaleAdamsStepByTheTrustRatio() {
    Parameter p = parameter("dense.weight", true, START);
    Lamb lamb = new Lamb(0.1, 0.9, 0.999, 1e-6, 0);
    // step 1: m_hat = g, v_hat = g^2, so r = g / (|g| + 1e-6) ~ [1, 1]; trust = ||p|| / ||r|| ~ sqrt(5 / 2)
    step(lamb, p, G1);
    double r0 = 0.5 / (0.5 + 1e-6);
    double r1 = 1 / (1 + 1e-6);
    double trust = Math.sqrt(5) / Math.hypot(r0, r1);
    assertValues(p, 1 - 0.1 * trust * r0, -2 - 0.1 * trust * r1);
    assertValues(p, 0.8418861960484237, -2.1581139620652223);
    // step 2 by the same formula with t = 2 (worked in float64 outside: trust 2.2440685313457465)
    step(lamb, p, G2);
    assertValues(p, 0.9240422325675186, -2.3747072862168466);
    assertEquals(2.0, lamb.state().get("dense.weight.step").getDouble(0));
  }

  @Test
  void lambPutsDecoupledDecayInsideTheTrustRatioStepForWeightsOnly() {
    Parameter weight = parameter("dense.weight", true, START);
    Parameter bias = parameter("dense.bias", false, START);
    Lamb lamb = new Lamb(0.1, 0.9, 0.999, 1e-6, 0.1);
    // r = adam step + 0.1 p, then the trust ratio of that r (trust 1.6439925389827392, then 2.840413109594153)
    stepBoth(lamb, weight, bias, G1);
    assertValues(weight, 0.8191611495097488, -2.1315192387195294);
    stepBoth(lamb, weight, bias, G2);
    assertValues(weight, 0.8998819830801638, -2.345126681395747);
    assertValues(bias, 0.9240422325675186, -2.3747072862168466);
  }

  @Test
  void lambTakesAPlainAdamStepForAParameterOfNormZero() {
    Parameter p = parameter("dense.bias", false, 0, 0);
    step(new Lamb(0.1, 0.9, 0.999, 1e-6, 0.01), p, G1);
    assertValues(p, -0.1 * 0.5 / (0.5 + 1e-6), -0.1 / (1 + 1e-6));
  }

  @Test
  void parametersWithoutAGradientAreSkipped() {
    Parameter trained = parameter("a.weight", true, START);
    Parameter frozen = parameter("b.weight", true, START);
    Adam adam = new Adam(0.1);
    setGrad(trained, G1);
    assertNull(frozen.value().grad());
    adam.step(List.of(trained, frozen));
    assertValues(frozen, START);
    assertFalse(adam.state().keySet().stream().anyMatch(k -> k.startsWith("b.weight")));
    assertEquals(1, adam.steps());

    // Unfrozen later, b takes Adam's first step (its own step 1), not the optimizer's step 2.
    setGrad(trained, G2);
    setGrad(frozen, G1);
    adam.step(List.of(trained, frozen));
    assertValues(frozen, 0.900000002, -2.099999999);
    assertEquals(1.0, adam.state().get("b.weight.step").getDouble(0));
  }

  @Test
  void updatesFloat32ParametersInPlace() {
    INDArray value = Nd4j.createFromArray(1f, -2f);
    Parameter p = new Parameter("dense.weight", Tensor.parameter(value), true);
    Optimizer sgd = new Sgd(0.1, 0.9, false);
    step(sgd, p, G1);
    assertEquals(DataType.FLOAT, sgd.state().get("dense.weight.velocity").dataType());
    assertArrayEquals(new float[] {0.95f, -2.1f}, value.toFloatVector(), 1e-7f);
  }

  /**
   * The float32 one-pass updates (UpdateKernels) against the float64 path (libnd4j's updaters) over
   * three steps, on a parameter long enough to be split into parallel blocks, for every optimizer.
   */
  @Test
  void float32OnePassUpdatesMatchTheFloat64Path() {
    int n = 150_001;
    List<java.util.function.Supplier<Optimizer>> optimizers = List.of(
        () -> new Sgd(0.1, 0.9, false), () -> new Sgd(0.1, 0.9, true), () -> new Adam(0.01),
        () -> new AdamW(0.01, 0.1), () -> new RmsProp(0.01), () -> new RmsProp(0.01, 0.9, 1e-6, 0.5),
        () -> new Lion(1e-3, 0.9, 0.99, 0.1), () -> new Lamb(0.01, 0.9, 0.999, 1e-6, 0.01));
    for (var make : optimizers) {
      Optimizer single = make.get();
      Optimizer twin = make.get();
      java.util.Random random = new java.util.Random(7);
      double[] start64 = random.doubles(n, -0.5, 0.5).toArray();
      INDArray start = Nd4j.createFromArray(start64.clone());
      Parameter p32 = new Parameter("dense.weight", Tensor.parameter(start.castTo(DataType.FLOAT)), true);
      Parameter p64 = new Parameter("dense.weight", Tensor.parameter(start.castTo(DataType.DOUBLE)), true);
      for (int t = 0; t < 3; t++) {
        double[] g = random.doubles(n, -1, 1).toArray();
        step(single, p32, g);
        step(twin, p64, g);
      }
      double[] got = p32.value().array().toDoubleVector();
      double[] want = p64.value().array().toDoubleVector();
      for (int i = 0; i < n; i++) {
        assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), single + " at " + i);
      }
      assertTrue(Math.abs(got[n - 1] - start64[n - 1]) > 1e-4, single + " moved the last element");
      single.state().forEach((slot, array) -> assertTrue(slot.endsWith(".step") || array.dataType() == DataType.FLOAT,
          slot + " is " + array.dataType()));
    }
  }

  @Test
  void learningRateChangesTakeEffect() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer sgd = new Sgd(0.1);
    sgd.setLearningRate(1.0);
    step(sgd, p, G1);
    assertValues(p, 0.5, -3);
    assertEquals(1.0, sgd.learningRate());
  }

  @Test
  void badValuesAreEchoed() {
    assertMessage(() -> new Adam(-1), "lr=-1.0");
    assertMessage(() -> new Sgd(0.1).setLearningRate(-1), "lr=-1.0");
    assertMessage(() -> new Adam(1e-3, 1.0, 0.999, 1e-8), "beta1=1.0");
    assertMessage(() -> new Sgd(0.1, 0, true), "nesterov needs a positive momentum");
    assertMessage(() -> new RmsProp(0.01, 0.99, -1, 0), "eps=-1.0");
    assertMessage(() -> new AdamW(0.1, -0.5), "weight_decay=-0.5");
    assertMessage(() -> new Lion(1e-4, 0.9, 1.0, 0), "beta2=1.0");
    assertMessage(() -> new Lamb(1e-3, 0.9, 0.999, 1e-6, -1), "weight_decay=-1.0");
  }

  @Test
  void stateOfAnotherOptimizerIsRejected() {
    Parameter p = parameter("dense.weight", true, START);
    Optimizer sgd = new Sgd(0.1, 0.9, false);
    step(sgd, p, G1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Adam(0.1).loadState(sgd.state(), 1));
    assertTrue(e.getMessage().contains("dense.weight.velocity") && e.getMessage().contains("m, v, step"),
        e.getMessage());
  }

  @Test
  void stateOfTheWrongShapeIsNamedAtTheNextStep() {
    Optimizer sgd = new Sgd(0.1, 0.9, false);
    sgd.loadState(Map.of("dense.weight.velocity", Nd4j.zeros(DataType.DOUBLE, 3)), 4);
    Parameter p = parameter("dense.weight", true, START);
    setGrad(p, G1);
    ShapeException e = assertThrows(ShapeException.class, () -> sgd.step(List.of(p)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
  }

  // ------------------------------------------------------------------- helpers

  static Parameter parameter(String name, boolean weight, double... values) {
    return new Parameter(name, Tensor.parameter(Nd4j.createFromArray(values)), weight);
  }

  /** Gives the parameter exactly this gradient, through backward as in training: d/dp sum(p * g) = g. */
  static void setGrad(Parameter p, double... grad) {
    Tensor value = p.value();
    value.zeroGrad();
    INDArray g = Nd4j.createFromArray(grad).castTo(value.dataType()).reshape(value.shape());
    value.mul(Tensor.of(g)).sum().backward();
  }

  private static void step(Optimizer optimizer, Parameter p, double... grad) {
    setGrad(p, grad);
    optimizer.step(List.of(p));
  }

  private static void stepBoth(Optimizer optimizer, Parameter a, Parameter b, double... grad) {
    setGrad(a, grad);
    setGrad(b, grad);
    optimizer.step(List.of(a, b));
  }

  private static void assertValues(Parameter p, double... expected) {
    assertArrayEquals(expected, p.value().array().toDoubleVector(), TOLERANCE);
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, e);
    assertTrue(thrown.getMessage().contains(fragment), thrown.getMessage());
  }
}
