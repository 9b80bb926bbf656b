package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.activationStats;
import static dev.regimen.plugins.diagnostics.Fixtures.batchnorm;
import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.dropout;
import static dev.regimen.plugins.diagnostics.Fixtures.relu;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.Sequential;
import dev.regimen.testkit.FakeControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ActivationStatsTest {
  private static final Tensor SYMMETRIC = Tensor.of(new Rng(4).normal(DataType.FLOAT, 0, 1, 4096, 16));

  @Test
  void reluOfSymmetricInputsIsZeroHalfTheTimeWithTheHalfNormalsMoments() {
    Map<String, Double> stats = activationStats(Map.of("samples", 4096)).probe(SYMMETRIC)
        .measure(Sequential.of(relu()), 0);
    // max(0, z) for z ~ N(0, 1): P(0) = 1/2, mean 1/sqrt(2 pi), variance 1/2 - 1/(2 pi).
    assertEquals(0.5, stats.get("act_zeros/relu_1"), 0.01);
    assertEquals(1 / Math.sqrt(2 * Math.PI), stats.get("act_mean/relu_1"), 0.01);
    assertEquals(0.5 - 1 / (2 * Math.PI), stats.get("act_var/relu_1"), 0.01);
  }

  @Test
  void recordsEveryLayerOfTheModelInOrder() {
    Map<String, Double> stats = activationStats(Map.of("samples", 4096)).probe(SYMMETRIC)
        .measure(Sequential.of(dense(32), relu(), dense(4)), 0);
    assertEquals(0.0, stats.get("act_zeros/dense_1"), "a dense output is almost surely never exactly zero");
    assertEquals(0.5, stats.get("act_zeros/relu_1"), 0.05, "a dense layer with zero bias keeps inputs symmetric");
    assertEquals(List.of("act_mean/dense_1", "act_var/dense_1", "act_zeros/dense_1", "act_mean/relu_1",
        "act_var/relu_1", "act_zeros/relu_1", "act_mean/dense_2", "act_var/dense_2", "act_zeros/dense_2"),
        List.copyOf(stats.keySet()));
  }

  @Test
  void measuresEvaluationByDefaultAndTrainingWhenAskedWithoutMovingRunningStatistics() {
    Layer model = Sequential.of(dropout(0.5), batchnorm());
    Tensor ones = Tensor.ones(DataType.FLOAT, 256, 8).add(Tensor.of(new Rng(1).normal(DataType.FLOAT, 0, 0.1, 256, 8)));
    assertEquals(0.0, activationStats(Map.of()).probe(ones).measure(model, 0).get("act_zeros/dropout_1"));
    Map<String, INDArray> before = copies(model);
    double trainingZeros = activationStats(Map.of("mode", "train")).probe(ones).measure(model, 0)
        .get("act_zeros/dropout_1");
    assertEquals(0.5, trainingZeros, 0.05);
    assertEquals(before, copies(model));
  }

  @Test
  void aModelThatIsASingleLayerIsMeasuredAtItsOutput() {
    Layer model = relu();
    Layers.assignNames(model);
    assertEquals(0.5, activationStats(Map.of("samples", 4096)).probe(SYMMETRIC).measure(model, 0)
        .get("act_zeros/relu_1"), 0.01);
  }

  @Test
  void writesIntoTheHistoryAtTheEndOfAnEpoch() {
    Layer model = Sequential.of(relu());
    FakeControl control = new FakeControl().withModel(model);
    control.setEpoch(4);
    activationStats(Map.of("input_shape", 3)).onEpochEnd(control);
    assertEquals(0.5, control.history().epoch(4).get("act_zeros/relu_1"), 0.1);
  }

  private static Map<String, INDArray> copies(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    Layers.buffers(model).forEach((name, t) -> out.put(name, t.array().dup()));
    return out;
  }
}
