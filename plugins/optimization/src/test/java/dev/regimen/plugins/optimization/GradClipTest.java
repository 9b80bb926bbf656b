package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GradClipTest {

  @Test
  void normModeCapsTheGlobalNormAndKeepsTheDirection() {
    Parameter a = Fixtures.parameter("dense_1.weight", true, new double[] {0, 0}, 3, 4); // ||g|| = 5
    Parameter b = Fixtures.parameter("dense_1.bias", false, new double[] {0}, 12); // ||g|| = 12, together 13
    Regularizer clip = Fixtures.regularizer("grad_clip", Map.of("threshold", 6.5));

    clip.onGradients(List.of(a, b), Fixtures.CONTEXT);

    double scale = 6.5 / (13 + GradClip.NORM_EPS);
    assertArrayEquals(new double[] {3 * scale, 4 * scale}, a.value().grad().toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {12 * scale}, b.value().grad().toDoubleVector(), 1e-12);
    assertEquals(6.5, GradClip.globalNorm(List.of(a.value().grad(), b.value().grad())), 1e-6);
  }

  @Test
  void normModeLeavesAGradientBelowTheThresholdAlone() {
    Parameter a = Fixtures.parameter("dense_1.weight", true, new double[] {0, 0}, 3, 4);
    Fixtures.regularizer("grad_clip", Map.of("threshold", 5.5)).onGradients(List.of(a), Fixtures.CONTEXT);
    assertArrayEquals(new double[] {3, 4}, a.value().grad().toDoubleVector(), 0);
  }

  @Test
  void valueModeClampsEveryElement() {
    Parameter a = Fixtures.parameter("dense_1.weight", true, new double[] {0, 0, 0, 0}, -3, 0.2, 0.5, 7);
    Fixtures.regularizer("grad_clip", Map.of("mode", "value", "threshold", 0.5)).onGradients(List.of(a),
        Fixtures.CONTEXT);
    assertArrayEquals(new double[] {-0.5, 0.2, 0.5, 0.5}, a.value().grad().toDoubleVector(), 0);
  }

  @Test
  void agcClipsEachOutputUnitRelativeToItsWeightNorm() {
    // A dense weight [in = 2, out = 2]: unit 0 is column 0, unit 1 is column 1.
    // Column 0: ||w|| = 5, ||g|| = 1: ratio 0.2 > 0.1, so g is rescaled to norm 0.1 * 5 = 0.5.
    // Column 1: ||w|| = 10, ||g|| = 0.5: ratio 0.05, left alone.
    Parameter w = Fixtures.parameter("dense_1.weight", true, new double[][] {{3, 6}, {4, 8}},
        new double[][] {{0.6, 0.3}, {0.8, 0.4}});
    // A bias: the whole vector is one unit; ||w|| = 0 counts as eps = 1e-3, so its gradient is capped at 1e-4.
    Parameter bias = Fixtures.parameter("dense_1.bias", false, new double[] {0, 0}, 3, 4);
    Fixtures.regularizer("grad_clip", Map.of("mode", "agc", "threshold", 0.1)).onGradients(List.of(w, bias),
        Fixtures.CONTEXT);

    INDArray g = w.value().grad();
    assertArrayEquals(new double[] {0.3, 0.4}, g.getColumn(0).toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {0.3, 0.4}, g.getColumn(1).toDoubleVector(), 0);
    assertArrayEquals(new double[] {0.6e-4, 0.8e-4}, bias.value().grad().toDoubleVector(), 1e-15);
  }

  @Test
  void agcOnAConvolutionWeightTakesEachFilterAsAUnit() {
    double[][][][] weight = {{{{1, 1}}}, {{{2, 2}}}}; // [out = 2, in = 1, 1, 2]: ||w_0|| = sqrt 2, ||w_1|| = sqrt 8
    double[][][][] grad = {{{{1, 1}}}, {{{0.01, 0.01}}}};
    Parameter w = Fixtures.parameter("conv2d_1.weight", true, weight, grad);
    Fixtures.regularizer("grad_clip", Map.of("mode", "agc", "threshold", 0.5)).onGradients(List.of(w),
        Fixtures.CONTEXT);
    // Filter 0: ratio 1 > 0.5, rescaled to norm 0.5 sqrt 2 = sqrt(0.5); filter 1 untouched.
    double e = Math.sqrt(0.5) / Math.sqrt(2);
    assertArrayEquals(new double[] {e, e, 0.01, 0.01}, w.value().grad().ravel().toDoubleVector(), 1e-12);
  }

  @Test
  void inTrainingOneSgdStepMovesTheWeightsByExactlyTheCappedNorm() {
    Layer model = Layers.build(Fixtures.mlp(), new long[] {64}, new Rng(3));
    List<INDArray> before = Layers.parameters(model).stream().map(p -> p.value().array().dup()).toList();
    Scheduler oneStep = new Scheduler() {
      @Override
      public void onBatchEnd(TrainingControl control) {
        control.requestStop("one step");
      }
    };
    double lr = 0.5;
    new Trainer(TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Sgd(lr))
        .regularizer(Fixtures.regularizer("grad_clip", Map.of("threshold", 0.1)))
        .scheduler(oneStep)
        .epochs(1)
        .batchSize(64)
        .seed(4)
        .progress(false)
        .build()).fit(model, Fixtures.digits(), null);

    List<Parameter> after = Layers.parameters(model);
    double squares = 0;
    for (int i = 0; i < after.size(); i++) {
      double n = after.get(i).value().array().sub(before.get(i)).norm2Number().doubleValue();
      squares += n * n;
    }
    // The unclipped gradient of a fresh model's cross-entropy is far above 0.1, so the step is lr * 0.1 long.
    assertEquals(lr * 0.1, Math.sqrt(squares), 1e-5);
  }

  @Test
  void badOptionsEchoTheValue() {
    Fixtures.assertRejected("grad_clip", Map.of("threshold", 0), "threshold=0");
    Fixtures.assertRejected("grad_clip", Map.of("mode", "l1"), "mode='l1'");
    Fixtures.assertRejected("grad_clip", Map.of("eps", -1), "eps=-1");
    assertTrue(Fixtures.regularizer("grad_clip", Map.of("mode", "agc")).toString().contains("threshold=0.01"));
  }
}
