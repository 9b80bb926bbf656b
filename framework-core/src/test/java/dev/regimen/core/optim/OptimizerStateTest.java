package dev.regimen.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Saving and restoring state mid-run, and making optimizers by name. */
class OptimizerStateTest {
  private static final int STEPS = 5;
  private static final int SAVED_AT = 3;

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("sgd", Map.of("lr", 0.1)),
        Arguments.of("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true)),
        Arguments.of("adam", Map.of("lr", 0.01)),
        Arguments.of("adamw", Map.of("lr", 0.01, "weight_decay", 0.1)),
        Arguments.of("rmsprop", Map.of("lr", 0.01)),
        Arguments.of("rmsprop", Map.of("lr", 0.01, "momentum", 0.5)),
        Arguments.of("lion", Map.of("lr", 1e-3, "weight_decay", 0.1)),
        Arguments.of("lamb", Map.of("lr", 0.01)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("configurations")
  void resumingFromSavedStateMatchesAnUninterruptedRunBitwise(String name, Map<String, Object> options) {
    List<double[][]> grads = gradients();

    Optimizer uninterrupted = factory(name).create(options);
    List<Parameter> straight = parameters();
    for (int s = 0; s < STEPS; s++) {
      step(uninterrupted, straight, grads.get(s));
    }

    Optimizer first = factory(name).create(options);
    List<Parameter> params = parameters();
    for (int s = 0; s < SAVED_AT; s++) {
      step(first, params, grads.get(s));
    }
    Map<String, INDArray> saved = first.state();
    long savedSteps = first.steps();
    List<Parameter> restored = copies(params); // what a checkpoint keeps of the model
    step(first, params, grads.get(SAVED_AT)); // the first run goes on: what was saved must not change

    Optimizer resumed = factory(name).create(options);
    resumed.loadState(saved, savedSteps);
    assertSameState(saved, resumed.state());
    for (int s = SAVED_AT; s < STEPS; s++) {
      step(resumed, restored, grads.get(s));
    }

    assertEquals(STEPS, resumed.steps());
    for (int i = 0; i < straight.size(); i++) {
      assertArrayEquals(flat(straight.get(i).value().array()), flat(restored.get(i).value().array()), 0.0,
          straight.get(i).name());
    }
    assertSameState(uninterrupted.state(), resumed.state());
  }

  @Test
  void listsEveryOptimizer() {
    assertEquals(List.of("sgd", "adam", "adamw", "rmsprop", "lion", "lamb"),
        OptimizerFactories.all().stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Optimizer> factory : OptimizerFactories.all()) {
      assertEquals(ComponentKind.OPTIMIZER, factory.kind());
    }
  }

  @Test
  void defaultsFollowTheReferences() {
    Sgd sgd = (Sgd) factory("sgd").create(Map.of());
    assertEquals(0.01, sgd.learningRate());
    assertEquals(0.0, sgd.momentum());
    Adam adam = (Adam) factory("adam").create(Map.of());
    assertEquals(1e-3, adam.learningRate());
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-8, adam.eps());
    AdamW adamw = (AdamW) factory("adamw").create(Map.of());
    assertEquals(0.01, adamw.weightDecay());
    RmsProp rmsprop = (RmsProp) factory("rmsprop").create(Map.of());
    assertEquals(0.01, rmsprop.learningRate());
    assertEquals(0.99, rmsprop.rho());
    assertEquals(1e-8, rmsprop.eps());
    assertEquals(0.0, rmsprop.momentum());
    Lion lion = (Lion) factory("lion").create(Map.of());
    assertEquals(1e-4, lion.learningRate());
    assertEquals(0.99, lion.beta2());
    assertEquals(0.01, ((Lamb) factory("lamb").create(Map.of())).weightDecay());
  }

  @Test
  void badOptionsEchoTheValue() {
    for (String name : List.of("sgd", "adam", "adamw", "rmsprop", "lion", "lamb")) {
      ComponentException e = assertThrows(ComponentException.class, () -> factory(name).create(Map.of("lr", -1)));
      assertTrue(e.getMessage().contains("lr=-1"), e.getMessage());
    }
    ComponentException e = assertThrows(ComponentException.class,
        () -> factory("adam").create(Map.of("beta2", 1.5)));
    assertTrue(e.getMessage().contains("beta2=1.5"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> factory("sgd").create(Map.of("nesterov", true)));
    assertTrue(e.getMessage().contains("momentum=0.0"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> factory("adam").create(Map.of("weight_decay", 0.1)));
    assertTrue(e.getMessage().contains("Known options: lr, beta1, beta2, eps"), e.getMessage());
  }

  // ------------------------------------------------------------------- helpers

  private static List<Parameter> copies(List<Parameter> params) {
    return params.stream()
        .map(p -> new Parameter(p.name(), Tensor.parameter(p.value().array().dup()), p.weight()))
        .toList();
  }

  private static double[] flat(INDArray a) {
    return Nd4j.toFlattened(a).toDoubleVector();
  }

  /** A weight and a bias, so that AdamW's decay is exercised on one and not the other. */
  private static List<Parameter> parameters() {
    Rng rng = new Rng(7);
    return List.of(
        new Parameter("dense_1.weight", Tensor.parameter(rng.normal(DataType.FLOAT, 0, 1, 3, 2)), true),
        new Parameter("dense_1.bias", Tensor.parameter(rng.normal(DataType.FLOAT, 0, 1, 2)), false));
  }

  private static List<double[][]> gradients() {
    Rng rng = new Rng(11);
    List<double[][]> grads = new ArrayList<>();
    for (int s = 0; s < STEPS; s++) {
      grads.add(new double[][] {
          rng.normal(DataType.DOUBLE, 0, 1, 6).toDoubleVector(), rng.normal(DataType.DOUBLE, 0, 1, 2).toDoubleVector()});
    }
    return grads;
  }

  private static void step(Optimizer optimizer, List<Parameter> params, double[][] grads) {
    for (int i = 0; i < params.size(); i++) {
      OptimizersTest.setGrad(params.get(i), grads[i]);
    }
    optimizer.step(params);
  }

  private static void assertSameState(Map<String, INDArray> expected, Map<String, INDArray> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String key : expected.keySet()) {
      assertEquals(expected.get(key).dataType(), actual.get(key).dataType(), key);
      assertArrayEquals(expected.get(key).shape(), actual.get(key).shape(), key);
      assertArrayEquals(flat(expected.get(key)), flat(actual.get(key)), 0.0, key);
    }
  }

  private static ComponentFactory<Optimizer> factory(String name) {
    return OptimizerFactories.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
