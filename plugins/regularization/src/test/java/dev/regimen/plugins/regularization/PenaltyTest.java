package dev.regimen.plugins.regularization;

import static dev.regimen.plugins.regularization.Regularizers.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The {@code l1} and {@code l2} penalties: their values, gradients, and which parameters they see. */
class PenaltyTest {
  private final Tensor weight = Tensor.parameter(Nd4j.createFromArray(new double[][] {{0.5, -2}, {3, -0.25}}));
  private final Tensor bias = Tensor.parameter(Nd4j.createFromArray(new double[] {10, -1}));
  private final List<Parameter> dense = List.of(new Parameter("dense_1.weight", weight, true),
      new Parameter("dense_1.bias", bias, false));

  @Test
  void l1IsLambdaTimesTheSumOfAbsoluteWeightsWithGradientLambdaTimesTheirSign() {
    Tensor penalty = create("l1", "lambda", 0.3).penalty(dense);
    assertEquals(0.3 * (0.5 + 2 + 3 + 0.25), penalty.item(), 1e-12);
    penalty.backward();
    assertArrayEquals(new double[] {0.3, -0.3, 0.3, -0.3}, Regularizers.values(weight.grad()), 1e-12);
  }

  @Test
  void l2IsHalfLambdaTimesTheSumOfSquaredWeightsWithGradientLambdaTimesTheWeights() {
    Tensor penalty = create("l2", "lambda", 0.3).penalty(dense);
    assertEquals(0.15 * (0.25 + 4 + 9 + 0.0625), penalty.item(), 1e-12);
    penalty.backward();
    assertArrayEquals(new double[] {0.15, -0.6, 0.9, -0.075}, Regularizers.values(weight.grad()), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"l1", "l2"})
  void gradientsAgreeWithFiniteDifferences(String name) {
    Rng rng = new Rng(3);
    Regularizer penalty = Regularizers.create(name, Map.of("lambda", 0.7, "include_biases", true));
    Tensor w = Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, 4, 5));
    Tensor b = Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, 5));
    GradientCheck.Result result = GradientCheck.defaults().check(in -> penalty.penalty(List.of(
        new Parameter("d.weight", in.get(0), true), new Parameter("d.bias", in.get(1), false))), List.of(w, b), rng);
    assertTrue(result.passed(), result.worst());
  }

  @Test
  void biasesAreLeftOutUnlessIncludeBiasesIsSet() {
    assertEquals(0.5 * 5.75, create("l1", "lambda", 0.5).penalty(dense).item(), 1e-12);
    assertEquals(0.5 * (5.75 + 11), Regularizers.create("l1", Map.of("lambda", 0.5, "include_biases", true))
        .penalty(dense).item(), 1e-12);
    assertEquals(0.25 * 13.3125, create("l2", "lambda", 0.5).penalty(dense).item(), 1e-12);
    assertEquals(0.25 * (13.3125 + 101), Regularizers.create("l2", Map.of("lambda", 0.5, "include_biases", true))
        .penalty(dense).item(), 1e-12);
    assertNull(create("l2", "lambda", 0.5).penalty(dense.subList(1, 2)), "no weights, no penalty");
  }

  @Test
  void layersSelectsParametersByLayerNameOrFullName() {
    Tensor other = Tensor.parameter(Nd4j.createFromArray(new double[] {4}));
    List<Parameter> params = List.of(dense.get(0), dense.get(1), new Parameter("dense_2.weight", other, true));
    assertEquals(4.0, Regularizers.create("l1", Map.of("lambda", 1.0, "layers", "dense_2")).penalty(params).item());
    assertEquals(5.75 + 4, Regularizers.create("l1", Map.of("lambda", 1.0, "layers", List.of("dense_1", "dense_2")))
        .penalty(params).item(), 1e-12);
    assertEquals(11, Regularizers.create("l1", Map.of("lambda", 1.0, "layers", "dense_1.bias", "include_biases", true))
        .penalty(params).item(), 1e-12);
  }

  @Test
  void aLayerNameThatSelectsNothingIsReportedWithTheLayersThereAre() {
    Regularizer typo = Regularizers.create("l2", Map.of("layers", List.of("dense_1", "dens_2")));
    ComponentException e = assertThrows(ComponentException.class, () -> typo.penalty(dense));
    assertTrue(e.getMessage().contains("[dens_2]") && e.getMessage().contains("Layers with trainable parameters: dense_1"),
        e.getMessage());
  }
}
