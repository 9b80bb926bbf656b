package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code batchnorm} on dense input [N, F]: the contract, hand-computed values, running and exact statistics. */
class BatchNormTest extends LayerContract {
  private static final double EPS = 1e-5;

  @Override
  protected ComponentFactory<Layer> factory() {
    return new BatchNorm.Factory();
  }

  @Override
  protected long[] inputShape() {
    return new long[] {4};
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }

  // ------------------------------------------------------------------ values

  @Test
  void normalizesATinyBatchAsComputedByHand() {
    Layer bn = built(Map.of(), 2);
    bn.parameters().get("gamma").array().assign(Nd4j.createFromArray(2f, 0.5f));
    bn.parameters().get("beta").array().assign(Nd4j.createFromArray(1f, -1f));
    Tensor x = Tensor.of(new float[] {1, 2, 3, 6, 5, 10}, 3, 2);

    Tensor y = bn.forward(x, ForwardContext.training(new Rng(1)));

    // Column 0: mean 3, biased variance (4 + 0 + 4) / 3 = 8/3. Column 1: mean 6, variance (16 + 0 + 16) / 3 = 32/3.
    double a = 2 / Math.sqrt(8.0 / 3 + EPS);
    double b = 4 / Math.sqrt(32.0 / 3 + EPS);
    assertArrayEquals(new double[] {1 - 2 * a, -1 - 0.5 * b, 1, -1, 1 + 2 * a, -1 + 0.5 * b}, values(y), 1e-5);
    // Running statistics after one step with momentum 0.1: 0.9 * initial + 0.1 * batch, the variance unbiased (8 and 32 over 2).
    assertArrayEquals(new double[] {0.3, 0.6}, values(bn.buffers().get("running_mean")), 1e-6);
    assertArrayEquals(new double[] {0.9 + 0.1 * 4, 0.9 + 0.1 * 16}, values(bn.buffers().get("running_var")), 1e-6);

    Tensor eval = evaluate(bn, x);
    assertArrayEquals(new double[] {
        2 * (1 - 0.3) / Math.sqrt(1.3 + EPS) + 1, 0.5 * (2 - 0.6) / Math.sqrt(2.5 + EPS) - 1,
        2 * (3 - 0.3) / Math.sqrt(1.3 + EPS) + 1, 0.5 * (6 - 0.6) / Math.sqrt(2.5 + EPS) - 1,
        2 * (5 - 0.3) / Math.sqrt(1.3 + EPS) + 1, 0.5 * (10 - 0.6) / Math.sqrt(2.5 + EPS) - 1}, values(eval), 1e-5);
  }

  @Test
  void withoutAffineItHasNoParametersAndOnlyStandardizes() {
    Layer bn = built(Map.of("affine", false), 2);
    assertTrue(bn.parameters().isEmpty(), "no gamma or beta");
    Tensor y = bn.forward(Tensor.of(new float[] {1, 2, 3, 6, 5, 10}, 3, 2), ForwardContext.training(new Rng(1)));
    double a = 2 / Math.sqrt(8.0 / 3 + EPS);
    double b = 4 / Math.sqrt(32.0 / 3 + EPS);
    assertArrayEquals(new double[] {-a, -b, 0, 0, a, b}, values(y), 1e-5);
  }

  // ------------------------------------------------------------------ running statistics

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void runningStatisticsConvergeToTheDataMeanAndVariance() {
    Layer bn = Layers.build(new BatchNorm.Factory().create(Map.of()), new long[] {2, 4, 4}, new Rng(1));
    double[] mean = {2, -1};
    double[] std = {3, 0.5};
    Rng rng = new Rng(5);
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int step = 0; step < 200; step++) {
        bn.forward(Tensor.of(gaussian(rng, new long[] {16, 2, 4, 4}, mean, std)), ForwardContext.training(rng));
      }
    }
    double[] runningMean = values(bn.buffers().get("running_mean"));
    double[] runningVar = values(bn.buffers().get("running_var"));
    for (int c = 0; c < 2; c++) {
      assertEquals(mean[c], runningMean[c], 0.1 * std[c], "running mean of channel " + c);
      assertEquals(std[c] * std[c], runningVar[c], 0.1 * std[c] * std[c], "running variance of channel " + c);
    }
  }

  @Test
  void evaluationUsesTheRunningStatisticsWhateverTheBatch() {
    Layer bn = built(Map.of(), 4);
    bn.buffers().get("running_mean").array().assign(Nd4j.createFromArray(1f, -2f, 0.5f, 3f));
    bn.buffers().get("running_var").array().assign(Nd4j.createFromArray(4f, 0.25f, 1f, 9f));
    Tensor batch = batch(6, 3);

    Tensor y = evaluate(bn, batch);
    double[] x = values(batch);
    double[] m = {1, -2, 0.5, 3};
    double[] v = {4, 0.25, 1, 9};
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = (x[i] - m[i % 4]) / Math.sqrt(v[i % 4] + EPS);
    }
    assertArrayEquals(expected, values(y), 1e-5);

    // A sample's output depends on that sample alone: alone, or in another batch, it comes out the same.
    Tensor first = Tensor.of(batch.array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
    assertArrayEquals(java.util.Arrays.copyOf(values(y), 4), values(evaluate(bn, first)), 1e-7);
  }

  @Test
  void passesThatMayNotUpdateStateLeaveTheRunningStatisticsUntouched() {
    Layer bn = built(Map.of(), 4);
    Tensor x = batch(5, 3);
    bn.forward(x, ForwardContext.training(new Rng(2)));
    INDArray mean = bn.buffers().get("running_mean").array().dup();
    INDArray var = bn.buffers().get("running_var").array().dup();

    Tensor frozen = bn.forward(x, ForwardContext.training(new Rng(2)).withStateUpdates(false));
    evaluate(bn, x);
    bn.forward(x, ForwardContext.sampling(new Rng(3)));

    assertEquals(mean, bn.buffers().get("running_mean").array(), "running mean");
    assertEquals(var, bn.buffers().get("running_var").array(), "running variance");
    assertSameValues(bn.forward(x, ForwardContext.training(new Rng(2))), frozen,
        "a non-updating training pass still normalizes with the batch statistics");
  }

  // ------------------------------------------------------------------ exact statistics

  @Test
  void exactStatisticsAreThePooledMeanAndUnbiasedVarianceOfEveryValueSeen() {
    BatchNorm bn = (BatchNorm) built(Map.of(), 3);
    Rng rng = new Rng(9);
    List<INDArray> batches = new ArrayList<>();
    for (int size : new int[] {7, 2, 16, 5}) {
      batches.add(gaussian(rng, new long[] {size, 3}, new double[] {5, -3, 0}, new double[] {2, 1, 0.1}));
    }
    bn.forward(Tensor.of(batches.get(0)), ForwardContext.training(rng));

    bn.beginExactStatistics();
    for (INDArray b : batches) {
      bn.forward(Tensor.of(b), ForwardContext.training(rng));
    }
    bn.forward(Tensor.of(batches.get(1)), ForwardContext.training(rng).withStateUpdates(false));
    bn.endExactStatistics();

    INDArray all = Nd4j.concat(0, batches.toArray(new INDArray[0])).castTo(DataType.DOUBLE);
    assertArrayEquals(all.mean(0).toDoubleVector(), values(bn.buffers().get("running_mean")), 1e-5);
    assertArrayEquals(all.var(true, 0).toDoubleVector(), values(bn.buffers().get("running_var")), 1e-5);

    // Afterwards the running statistics move by momentum again.
    INDArray before = bn.buffers().get("running_mean").array().dup();
    bn.forward(Tensor.of(batches.get(2)), ForwardContext.training(rng));
    INDArray expected = before.mul(0.9).add(batches.get(2).mean(0).mul(0.1));
    assertArrayEquals(expected.toDoubleVector(), values(bn.buffers().get("running_mean")), 1e-6);
  }

  @Test
  void endingExactStatisticsWithoutAnyPassKeepsTheRunningStatistics() {
    BatchNorm bn = (BatchNorm) built(Map.of(), 4);
    bn.forward(batch(5, 3), ForwardContext.training(new Rng(2)));
    INDArray mean = bn.buffers().get("running_mean").array().dup();
    bn.beginExactStatistics();
    bn.endExactStatistics();
    assertEquals(mean, bn.buffers().get("running_mean").array());
  }

  // ------------------------------------------------------------------ gradients at evaluation

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void evaluationGradientsTreatTheRunningStatisticsAsConstants() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer bn = builtLayer(SEED);
      bn.buffers().get("running_mean").array().assign(Nd4j.createFromArray(1.0, -2.0, 0.5, 3.0));
      bn.buffers().get("running_var").array().assign(Nd4j.createFromArray(4.0, 0.25, 1.0, 9.0));
      bn.parameters().get("gamma").array().assign(Nd4j.createFromArray(1.5, -0.5, 2.0, 1.0));
      Tensor x = Tensor.parameter(input(batchShape(3), new Rng(4)).castTo(DataType.DOUBLE));
      List<Tensor> inputs = new ArrayList<>(List.of(x));
      Layers.parameters(bn).forEach(p -> inputs.add(p.value()));
      GradientCheck.Result result = GradientCheck.defaults()
          .check(in -> bn.forward(in.get(0), ForwardContext.evaluation()), inputs, new Rng(6));
      assertTrue(result.passed(), "worst: " + result.worst());
    }
  }

  // ------------------------------------------------------------------ names, options, errors

  @Test
  void buffersAndParametersCarryTheModelWideNames() {
    Layer bn = builtLayer(SEED);
    assertEquals(List.of("batchnorm_1.running_mean", "batchnorm_1.running_var"), List.copyOf(Layers.buffers(bn).keySet()));
    assertEquals(List.of("batchnorm_1.gamma", "batchnorm_1.beta"), Layers.parameters(bn).stream().map(Parameter::name).toList());
    for (Parameter p : Layers.parameters(bn)) {
      assertFalse(p.weight(), p.name() + " is not a weight: no decay by default");
    }
    assertArrayEquals(new double[] {0, 0, 0, 0}, values(bn.buffers().get("running_mean")));
    assertArrayEquals(new double[] {1, 1, 1, 1}, values(bn.buffers().get("running_var")));
  }

  @Test
  void badOptionsAreRefusedEchoingTheValue() {
    ComponentException momentum = assertThrows(ComponentException.class,
        () -> factory().create(Map.of("momentum", 1.5)));
    assertTrue(momentum.getMessage().contains("momentum=1.5"), momentum.getMessage());
    ComponentException epsilon = assertThrows(ComponentException.class, () -> factory().create(Map.of("epsilon", 0)));
    assertTrue(epsilon.getMessage().contains("epsilon=0"), epsilon.getMessage());
    ComponentException unknown = assertThrows(ComponentException.class, () -> factory().create(Map.of("axis", 1)));
    assertTrue(unknown.getMessage().contains("momentum, epsilon, affine"), unknown.getMessage());
  }

  @Test
  void aTrainingBatchWithOneValuePerChannelIsRefused() {
    Layer bn = builtLayer(SEED);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bn.forward(batch(1, 3), ForwardContext.training(new Rng(1))));
    assertTrue(e.getMessage().contains("batchnorm_1") && e.getMessage().contains("[1, 4]"), e.getMessage());
    assertEquals(1, evaluate(bn, batch(1, 3)).size(0), "evaluation takes a batch of one");
  }

  @Test
  void trainingIsNotEvaluation() {
    Layer bn = builtLayer(SEED);
    Tensor x = batch(5, 3);
    assertNotEquals(values(evaluate(bn, x))[0], values(bn.forward(x, ForwardContext.training(new Rng(1))))[0]);
  }

  // ------------------------------------------------------------------ helpers

  private static Layer built(Map<String, ?> options, long features) {
    return Layers.build(new BatchNorm.Factory().create(options), new long[] {features}, new Rng(1));
  }

  /** Normal draws with a mean and standard deviation per channel (axis 1). */
  static INDArray gaussian(Rng rng, long[] shape, double[] mean, double[] std) {
    INDArray x = rng.normal(DataType.FLOAT, 0, 1, shape);
    org.nd4j.linalg.factory.Broadcast.mul(x, Nd4j.createFromArray(std).castTo(DataType.FLOAT), x, 1);
    org.nd4j.linalg.factory.Broadcast.add(x, Nd4j.createFromArray(mean).castTo(DataType.FLOAT), x, 1);
    return x;
  }
}
