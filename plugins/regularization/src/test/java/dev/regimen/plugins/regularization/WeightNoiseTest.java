package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.TrainingResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code weight_noise}: the forward and backward passes see noisy weights, the step applies to the
 * clean ones, and nothing of the noise stays behind.
 */
class WeightNoiseTest {
  private static final Dataset DATA = Synthetic.linearRegression(80, new double[] {1, -2, 0.5}, 0.1, new Rng(7));

  private static Regularizer noise(double sigma, String mode) {
    return Regularizers.create("weight_noise", Map.of("sigma", sigma, "mode", mode));
  }

  @ParameterizedTest
  @ValueSource(strings = {"additive", "multiplicative"})
  void perturbsTheTrainingForwardPassAndPutsTheCleanWeightsBackBitForBit(String mode) {
    Layer model = Regularizers.built(Regularizers.linear(true), DATA, 3);
    List<Parameter> params = Layers.parameters(model);
    INDArray clean = Regularizers.value(model, "dense_1.weight");
    INDArray bias = Regularizers.value(model, "dense_1.bias");
    Tensor x = Tensor.of(DATA.features().array());
    INDArray before = model.forward(x, ForwardContext.training(new Rng(0))).array().dup();

    Regularizer noise = noise(0.3, mode);
    Regularizers.Ctx ctx = new Regularizers.Ctx(11, 0.1);
    noise.beforeForward(params, ctx);
    INDArray noisy = model.forward(x, ForwardContext.training(new Rng(0))).array().dup();
    assertTrue(Regularizers.relativeDifference(noisy, before) > 1e-2, "the output moved: " + noisy + " vs " + before);
    assertArrayEquals(Regularizers.values(bias), Regularizers.values(Regularizers.value(model, "dense_1.bias")), 0,
        "biases are left alone by default");

    noise.afterBackward(params, ctx);
    assertArrayEquals(Regularizers.values(clean), Regularizers.values(Regularizers.value(model, "dense_1.weight")), 0);
  }

  @Test
  void theGradientIsTakenAtTheNoisyWeights() {
    // loss = sum((x w)^2) / 2 has gradient x^T x w, so the gradient tells which w it was taken at.
    INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {-1, 0.5}, {0.3, -2}});
    Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[][] {{0.7}, {-0.4}}));
    INDArray clean = w.array().dup();
    List<Parameter> params = List.of(new Parameter("d.weight", w, true));
    Regularizer noise = noise(0.5, "additive");
    Regularizers.Ctx ctx = new Regularizers.Ctx(12, 0.1);

    noise.beforeForward(params, ctx);
    INDArray noisy = w.array().dup();
    Tensor y = Tensor.of(x).matmul(w);
    y.mul(y).sum().mul(0.5).backward();
    noise.afterBackward(params, ctx);

    assertTrue(noisy.sub(clean).amaxNumber().doubleValue() > 1e-3, "the noise moved the weights");
    assertEquals(clean, w.array(), "the clean weights are back");
    INDArray atNoisy = x.transpose().mmul(x).mmul(noisy);
    assertTrue(w.grad().equalsWithEps(atNoisy, 1e-12), w.grad() + " vs " + atNoisy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"additive", "multiplicative"})
  void withZeroLearningRateTrainingLeavesTheWeightsBitForBitButNotTheLoss(String mode) {
    Layer noisy = Regularizers.built(Regularizers.linear(true), DATA, 4);
    INDArray weight = Regularizers.value(noisy, "dense_1.weight");
    TrainingResult withNoise = Regularizers.fit(noisy, DATA, new Sgd(0), 2, 20, List.of(noise(0.5, mode)));
    assertArrayEquals(Regularizers.values(weight), Regularizers.values(Regularizers.value(noisy, "dense_1.weight")), 0);

    Layer clean = Regularizers.built(Regularizers.linear(true), DATA, 4);
    TrainingResult without = Regularizers.fit(clean, DATA, new Sgd(0), 2, 20, List.of());
    assertNotEquals(without.history().series("loss"), withNoise.history().series("loss"));
  }

  @Test
  void additiveNoiseHasStandardDeviationSigma() {
    Tensor w = Tensor.parameter(Nd4j.valueArrayOf(new long[] {100, 100}, 2.0, DataType.FLOAT));
    noise(0.1, "additive").beforeForward(List.of(new Parameter("d.weight", w, true)), new Regularizers.Ctx(13, 0.1));
    INDArray e = w.array().sub(2.0);
    assertEquals(0, e.meanNumber().doubleValue(), 0.005);
    assertEquals(0.1, e.stdNumber().doubleValue(), 0.005);
  }

  @Test
  void multiplicativeNoiseScalesWithTheWeightAndKeepsZerosAtZero() {
    INDArray start = Nd4j.concat(0, Nd4j.valueArrayOf(new long[] {50, 100}, -4.0, DataType.FLOAT),
        Nd4j.zeros(DataType.FLOAT, 50, 100));
    Tensor w = Tensor.parameter(start.dup());
    noise(0.1, "multiplicative").beforeForward(List.of(new Parameter("d.weight", w, true)),
        new Regularizers.Ctx(14, 0.1));
    INDArray factor = w.array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50)).div(-4.0);
    assertEquals(1, factor.meanNumber().doubleValue(), 0.005);
    assertEquals(0.1, factor.stdNumber().doubleValue(), 0.005);
    assertEquals(0, w.array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(50, 100)).amaxNumber().doubleValue());
  }

  @Test
  void theSameStreamGivesTheSameNoiseAndAnotherStreamOther() {
    INDArray[] draws = new INDArray[3];
    long[] seeds = {21, 21, 22};
    for (int i = 0; i < 3; i++) {
      Tensor w = Tensor.parameter(Nd4j.zeros(DataType.FLOAT, 4, 4));
      noise(1.0, "additive").beforeForward(List.of(new Parameter("d.weight", w, true)),
          new Regularizers.Ctx(seeds[i], 0.1));
      draws[i] = w.array().dup();
    }
    assertEquals(draws[0], draws[1]);
    assertNotEquals(draws[0], draws[2]);
  }

  @Test
  void zeroSigmaChangesNothing() {
    Tensor w = Tensor.parameter(Nd4j.createFromArray(new float[] {1, 2, 3}));
    INDArray start = w.array().dup();
    noise(0, "additive").beforeForward(List.of(new Parameter("d.weight", w, true)), new Regularizers.Ctx(1, 0.1));
    assertEquals(start, w.array());
  }
}
