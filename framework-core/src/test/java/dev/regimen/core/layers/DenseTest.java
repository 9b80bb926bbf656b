package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DenseTest extends LayerContract {
  DenseTest() {
    super(new Dense.Factory(), Map.of("units", 3), 4);
  }

  @Test
  void matchesAHandComputedTwoByThreeExample() {
    Layer dense = Layers.build(LayerFactories.create("dense", Map.of("units", 3)), new long[] {2}, new Rng(1));
    dense.parameters().get("weight").array().assign(Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c'));
    dense.parameters().get("bias").array().assign(Nd4j.create(new float[] {0.5f, -1, 2}, new long[] {3}, 'c'));
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);

    Tensor y = evaluate(dense, x);

    // [1 2] W = [1+8, 2+10, 3+12] = [9, 12, 15]; [3 4] W = [3+16, 6+20, 9+24] = [19, 26, 33]; then + b.
    assertArrayEquals(new double[] {9.5, 11, 17, 19.5, 25, 35}, values(y), 1e-6);
  }

  @Test
  void reluActivationEqualsADenseLayerFollowedByARelu() {
    Map<String, Object> options = Map.of("units", 3);
    Layer plain = Layers.build(LayerFactories.create("dense", options), new long[] {2}, new Rng(1));
    Layer fused = Layers.build(LayerFactories.create("dense", Map.of("units", 3, "activation", "relu")),
        new long[] {2}, new Rng(1));
    Tensor x = Tensor.of(new float[] {1, -2, -3, 4, 0.5f, 0.25f}, 3, 2);

    Tensor expected = evaluate(plain, x).relu();
    Tensor y = evaluate(fused, x);

    assertArrayEquals(values(expected), values(y), 1e-6);
    assertTrue(values(y)[0] == 0 || values(y)[1] == 0 || values(y)[2] == 0 || values(y)[3] == 0,
        "the example has units below zero");
  }

  @Test
  void rejectsAnActivationItCannotFuseListingTheChoices() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("dense", Map.of("units", 2, "activation", "tanh")));
    assertTrue(e.getMessage().contains("activation='tanh'") && e.getMessage().contains("relu"), e.getMessage());
  }

  @Test
  void weightIsInByOutAndPenalizedButBiasIsNot() {
    Layer dense = builtLayer(SEED);
    List<Parameter> parameters = Layers.parameters(dense);
    assertEquals(List.of("dense_1.weight", "dense_1.bias"), parameters.stream().map(Parameter::name).toList());
    assertArrayEquals(new long[] {4, 3}, parameters.get(0).value().shape());
    assertTrue(parameters.get(0).weight());
    assertArrayEquals(new long[] {3}, parameters.get(1).value().shape());
    assertFalse(parameters.get(1).weight());
    assertArrayEquals(new double[] {0, 0, 0}, values(parameters.get(1).value()), "biases start at zero");
  }

  @Test
  void defaultKernelIsGlorotUniform() {
    Layer dense = Layers.build(LayerFactories.create("dense", Map.of("units", 50)), new long[] {30}, new Rng(2));
    double limit = Math.sqrt(6.0 / (30 + 50));
    double max = dense.parameters().get("weight").array().amaxNumber().doubleValue();
    assertTrue(max <= limit && max > 0.9 * limit, "max |w| " + max + " against the limit " + limit);
  }

  @Test
  void withoutBiasHasOnlyAWeight() {
    Layer dense = Layers.build(LayerFactories.create("dense", Map.of("units", 2, "useBias", false)),
        new long[] {3}, new Rng(3));
    assertEquals(List.of("weight"), List.copyOf(dense.parameters().keySet()));
  }

  @Test
  void rejectsZeroUnitsEchoingTheValue() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("dense", Map.of("units", 0)));
    assertTrue(e.getMessage().contains("Received: units=0"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownInitializerEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("dense", Map.of("units", 2, "kernel_initializer", "hee_normal")));
    assertTrue(e.getMessage().contains("kernel_initializer='hee_normal'"), e.getMessage());
    assertTrue(e.getMessage().contains("he_normal"), "lists the choices: " + e.getMessage());
  }

  @Test
  void refusesImagesAndSuggestsFlatten() {
    Layer dense = LayerFactories.create("dense", Map.of("units", 2));
    ShapeException e = assertThrows(ShapeException.class, () -> dense.outputShape(new long[] {1, 4, 4}));
    assertTrue(e.getMessage().contains("[1, 4, 4]") && e.getMessage().contains("flatten"), e.getMessage());
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void refusesAnInputOfAnotherFloatTypeNamingBoth() {
    Layer dense;
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      dense = builtLayer(SEED);
    }
    Tensor x = Tensor.of(new float[12], 3, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> dense.forward(x, ForwardContext.evaluation()));
    assertTrue(e.getMessage().contains("DOUBLE") && e.getMessage().contains("FLOAT")
        && e.getMessage().contains("dense_1"), e.getMessage());
  }
}
