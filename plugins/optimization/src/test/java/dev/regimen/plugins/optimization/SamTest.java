package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SamTest {
  private static final double[] A = {1, 4};

  /** The gradient of L(w) = 0.5 sum(a w^2) at the parameter's current value, as a trainer's closure gives it. */
  private static Optimizer.Closure quadratic(Parameter p, List<double[]> seen) {
    return () -> {
      seen.add(p.value().array().toDoubleVector());
      p.value().zeroGrad();
      Tensor loss = p.value().mul(p.value()).mul(Tensor.of(Nd4j.createFromArray(A))).sum().mul(0.5);
      loss.backward();
      return loss.item();
    };
  }

  @Test
  void onAQuadraticTheInnerStepUsesTheGradientAtTheAscentPoint() {
    // w = [3, 1]: g = a w = [3, 4], ||g|| = 5; e = 0.5 g / 5 = [0.3, 0.4]; g' = a (w + e) = [3.3, 5.6]
    Parameter p = Fixtures.parameter("dense_1.weight", true, new double[] {3, 1}, 3, 4);
    List<double[]> seen = new ArrayList<>();
    Optimizer sam = Fixtures.optimizer("sam", Map.of("optimizer", new Sgd(0.1), "rho", 0.5));
    sam.step(List.of(p), quadratic(p, seen));

    assertEquals(1, seen.size(), "one evaluation at the ascent point");
    assertArrayEquals(new double[] {3.3, 1.4}, seen.get(0), 1e-12);
    assertArrayEquals(new double[] {3 - 0.33, 1 - 0.56}, p.value().array().toDoubleVector(), 1e-12);
    assertEquals(1, sam.steps());
  }

  @Test
  void adaptiveSamScalesTheAscentByEachWeight() {
    // e = rho w^2 g / ||w g|| = 0.5 [27, 4] / sqrt(97)
    Parameter p = Fixtures.parameter("dense_1.weight", true, new double[] {3, 1}, 3, 4);
    List<double[]> seen = new ArrayList<>();
    Optimizer asam = Fixtures.optimizer("sam", Map.of("optimizer", new Sgd(0.1), "rho", 0.5, "adaptive", true));
    asam.step(List.of(p), quadratic(p, seen));
    double n = Math.sqrt(97);
    double[] ascent = {3 + 0.5 * 27 / n, 1 + 0.5 * 4 / n};
    assertArrayEquals(ascent, seen.get(0), 1e-12);
    assertArrayEquals(new double[] {3 - 0.1 * ascent[0], 1 - 0.1 * 4 * ascent[1]}, p.value().array().toDoubleVector(),
        1e-12);
  }

  @Test
  void aNonFiniteLossAtTheAscentPointPutsTheWeightsBackAndSkipsTheStep() {
    Parameter p = Fixtures.parameter("dense_1.weight", true, new double[] {3, 1}, 3, 4);
    Optimizer sam = Fixtures.optimizer("sam", Map.of("optimizer", new Sgd(0.1)));
    sam.step(List.of(p), () -> Double.NaN);
    assertArrayEquals(new double[] {3, 1}, p.value().array().toDoubleVector(), 0);
    assertEquals(0, sam.steps());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sam.step(List.of(p)));
    assertTrue(e.getMessage().contains("closure"), e.getMessage());
  }

  /** Counts the trainer's hook calls: two evaluations per update, one step. */
  private static final class Counting implements Regularizer {
    int forwards;
    int gradients;
    int steps;

    @Override
    public void beforeForward(List<Parameter> parameters, Context ctx) {
      forwards++;
    }

    @Override
    public void onGradients(List<Parameter> parameters, Context ctx) {
      gradients++;
    }

    @Override
    public void beforeStep(List<Parameter> parameters, Context ctx) {
      steps++;
    }
  }

  @Test
  void inTrainingEachUpdateEvaluatesTwiceAndStepsOnceAndRhoZeroIsTheInnerOptimizer() {
    Counting counting = new Counting();
    TrainerConfig sam = config(Fixtures.optimizer("sam", Map.of("optimizer", new Sgd(0.1, 0.9, false), "rho", 0.0)))
        .regularizer(counting).build();
    Layer withSam = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(8));
    TrainingResult result = new Trainer(sam).fit(withSam, Fixtures.digits(), null);
    int updates = 2 * ((Fixtures.digits().size() + 63) / 64);
    assertEquals(updates, sam.optimizer().steps());
    assertEquals(2 * updates, counting.forwards);
    assertEquals(2 * updates, counting.gradients);
    assertEquals(updates, counting.steps);

    Layer plain = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(8));
    TrainingResult plainResult = new Trainer(config(new Sgd(0.1, 0.9, false)).build()).fit(plain, Fixtures.digits(),
        null);
    List<Parameter> want = Layers.parameters(plain);
    List<Parameter> got = Layers.parameters(withSam);
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).value().array().ravel().toFloatVector(),
          got.get(i).value().array().ravel().toFloatVector(), 0f, want.get(i).name());
    }
    assertEquals(plainResult.history().series("loss"), result.history().series("loss"));
  }

  @Test
  void samTrainsTheDigits() {
    TrainerConfig sam = config(Fixtures.optimizer("sam", Map.of("optimizer", new Sgd(0.1, 0.9, false), "rho", 0.05)))
        .build();
    TrainingResult result = new Trainer(sam).fit(Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(8)),
        Fixtures.digits(), null);
    List<Double> loss = result.history().series("loss");
    assertTrue(loss.get(1) < loss.get(0) && loss.get(1) < 0.5, loss.toString());
  }

  private static TrainerConfig.Builder config(Optimizer optimizer) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(optimizer)
        .epochs(2)
        .batchSize(64)
        .seed(3)
        .progress(false);
  }
}
