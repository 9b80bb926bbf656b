package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.optim.Sgd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LookaheadTest {

  @Test
  void everyKStepsTheSlowWeightsMoveAlphaOfTheWayAndTheFastOnesFollow() {
    Parameter p = Fixtures.parameter("dense_1.weight", true, new double[] {1, -2});
    Optimizer lookahead = Fixtures.optimizer("lookahead", Map.of("optimizer", new Sgd(0.1), "k", 2, "alpha", 0.5));
    double[][] expected = {
        {0.9, -2.1}, // fast step
        {0.9, -2.1}, // fast 0.8, -2.2; slow 1 + 0.5 (0.8 - 1) = 0.9, -2 + 0.5 (-2.2 + 2) = -2.1
        {0.8, -2.2}, // fast step from the slow weights
        {0.8, -2.2}, // fast 0.7, -2.3; slow 0.9 + 0.5 (0.7 - 0.9)
    };
    for (double[] want : expected) {
      Fixtures.setGrad(p, 1, 1);
      lookahead.step(List.of(p));
      assertArrayEquals(want, p.value().array().toDoubleVector(), 1e-12);
    }
    assertEquals(4, lookahead.steps());
    assertEquals(0.1, lookahead.learningRate());
    assertArrayEquals(new double[] {0.8, -2.2}, lookahead.state().get("dense_1.weight.slow").toDoubleVector(), 1e-12);
  }

  @Test
  void alphaOneIsTheInnerOptimizerAlone() {
    Parameter a = Fixtures.parameter("dense_1.weight", true, new double[] {1, -2, 0.5});
    Parameter b = Fixtures.parameter("dense_1.weight", true, new double[] {1, -2, 0.5});
    Optimizer alone = new Adam(0.05);
    Optimizer wrapped = Fixtures.optimizer("lookahead", Map.of("optimizer", new Adam(0.05), "k", 3, "alpha", 1.0));
    Rng rng = new Rng(3);
    for (int t = 0; t < 7; t++) {
      double[] g = rng.normal(DataType.DOUBLE, 0, 1, 3).toDoubleVector();
      Fixtures.setGrad(a, g);
      Fixtures.setGrad(b, g);
      alone.step(List.of(a));
      wrapped.step(List.of(b));
    }
    assertArrayEquals(a.value().array().toDoubleVector(), b.value().array().toDoubleVector(), 0);
  }

  @Test
  void resumingFromSavedStateMatchesAnUninterruptedRunBitwise() {
    Rng rng = new Rng(5);
    double[][] grads = new double[9][];
    for (int t = 0; t < grads.length; t++) {
      grads[t] = rng.normal(DataType.DOUBLE, 0, 1, 4).toDoubleVector();
    }
    INDArray start = new Rng(6).normal(DataType.FLOAT, 0, 1, 4);
    Parameter straight = new Parameter("dense_1.weight", Tensor.parameter(start.dup()), true);
    Optimizer uninterrupted = lookahead();
    for (double[] g : grads) {
      Fixtures.setGrad(straight, g);
      uninterrupted.step(List.of(straight));
    }

    Parameter first = new Parameter("dense_1.weight", Tensor.parameter(start.dup()), true);
    Optimizer before = lookahead();
    for (int t = 0; t < 4; t++) {
      Fixtures.setGrad(first, grads[t]);
      before.step(List.of(first));
    }
    Map<String, INDArray> saved = before.state();
    assertEquals(List.of("inner.dense_1.weight.m", "inner.dense_1.weight.v", "inner.dense_1.weight.step",
        "dense_1.weight.slow"), List.copyOf(saved.keySet()));
    Parameter restored = new Parameter("dense_1.weight", Tensor.parameter(first.value().array().dup()), true);
    Optimizer resumed = lookahead();
    resumed.loadState(saved, before.steps());
    for (int t = 4; t < grads.length; t++) {
      Fixtures.setGrad(restored, grads[t]);
      resumed.step(List.of(restored));
    }
    assertArrayEquals(straight.value().array().toFloatVector(), restored.value().array().toFloatVector(), 0f);
    assertEquals(Nd4j.createFromArray(9.0).getDouble(0), resumed.steps(), 0);
  }

  @Test
  void badOptionsEchoTheValue() {
    Fixtures.assertRejected("lookahead", Map.of("optimizer", "adam"), "optimizer='adam'");
    Fixtures.assertRejected("lookahead", Map.of("optimizer", new Sgd(0.1), "k", 0), "k=0");
    Fixtures.assertRejected("lookahead", Map.of("optimizer", new Sgd(0.1), "alpha", 1.5), "alpha=1.5");
    Fixtures.assertRejected("lookahead", Map.of(), "'optimizer'");
  }

  private static Optimizer lookahead() {
    return Fixtures.optimizer("lookahead", Map.of("optimizer", new Adam(0.01), "k", 3));
  }
}
