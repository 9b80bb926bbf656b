package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.MeanSquaredError;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RegularizationTest {

  private static Regularizer make(ComponentFactory<Regularizer> factory, Map<String, ?> options) {
    return factory.create(options);
  }

  private static Regularizer l1(double lambda) {
    return make(new L1.Factory(), Map.of("lambda", lambda));
  }

  private static Regularizer l2(double lambda) {
    return make(new L2.Factory(), Map.of("lambda", lambda));
  }

  private static Regularizer decay(double lambda) {
    return make(new WeightDecay.Factory(), Map.of("lambda", lambda));
  }

  private static Regularizer noise(double sigma) {
    return make(new WeightNoise.Factory(), Map.of("sigma", sigma));
  }

  /**
   * y = 2 x0 - 3 x1 + 1.5 x2 + noise, with x3..x5 irrelevant: a linear model should keep the first
   * three weights and drop the rest.
   */
  private static Dataset regression() {
    Rng rng = new Rng(8);
    int n = 200;
    INDArray x = rng.normal(DataType.FLOAT, 0, 1, n, 6);
    INDArray w = Nd4j.createFromArray(new float[][] {{2}, {-3}, {1.5f}, {0}, {0}, {0}});
    INDArray y = x.mmul(w).addi(rng.normal(DataType.FLOAT, 0, 1.0, n, 1));
    return Dataset.regression(x, y);
  }

  private static Layer linear() {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", 1, "use_bias", false)));
  }

  private static INDArray train(Layer model, Dataset data, Supplier<Optimizer> optimizer, int epochs, int batch,
      Regularizer... regularizers) {
    TrainerConfig.Builder config = TrainerConfig.builder().objective(new MeanSquaredError()).optimizer(optimizer.get())
        .epochs(epochs).batchSize(batch).seed(1).progress(false);
    for (Regularizer r : regularizers) {
      config.regularizer(r);
    }
    new Trainer(config.build()).fit(model, data, null);
    return Layers.parameters(model).get(0).value().array().dup();
  }

  @Test
  void thePenaltiesHaveTheDocumentedGradients() {
    Rng rng = new Rng(3);
    Tensor w = Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, 3, 4));
    List<Parameter> params = List.of(new Parameter("dense_1.weight", w, true));
    l1(0.3).penalty(params).backward();
    assertEquals(w.array().dup().assign(w.array()).mul(0).add(org.nd4j.linalg.ops.transforms.Transforms.sign(w.array())
        .mul(0.3)), w.grad());
    w.zeroGrad();
    l2(0.3).penalty(params).backward();
    assertTrue(w.grad().equalsWithEps(w.array().mul(0.3), 1e-12));
    for (Regularizer r : List.of(l1(0.2), l2(0.7))) {
      GradientCheck.Result result = GradientCheck.defaults().check(
          in -> r.penalty(List.of(new Parameter("p.weight", in.get(0), true))), List.of(w), rng);
      assertTrue(result.passed(), result.worst());
    }
  }

  @Test
  void penaltiesSkipBiasesUnlessAsked() {
    Tensor weight = Tensor.parameter(Nd4j.createFromArray(new double[] {1, -2}));
    Tensor bias = Tensor.parameter(Nd4j.createFromArray(new double[] {10}));
    List<Parameter> params = List.of(new Parameter("d.weight", weight, true), new Parameter("d.bias", bias, false));
    assertEquals(0.5 * (1 + 2), l1(0.5).penalty(params).item(), 1e-12);
    assertEquals(0.5 * (1 + 2 + 10), make(new L1.Factory(), Map.of("lambda", 0.5, "include_biases", true))
        .penalty(params).item(), 1e-12);
    assertEquals(0.25 * (1 + 4), l2(0.5).penalty(params).item(), 1e-12);
    assertNull(l2(0.5).penalty(List.of(new Parameter("d.bias", bias, false))));
  }

  @Test
  void withSgdL2AndWeightDecayTakeTheSameStep() {
    Dataset data = regression();
    INDArray withL2 = train(linear(), data, () -> new Sgd(0.1), 1, data.size(), l2(0.05));
    INDArray withDecay = train(linear(), data, () -> new Sgd(0.1), 1, data.size(), decay(0.05));
    INDArray plain = train(linear(), data, () -> new Sgd(0.1), 1, data.size());
    assertTrue(withL2.equalsWithEps(withDecay, 1e-6), withL2 + " vs " + withDecay);
    assertNotEquals(plain, withL2);
  }

  @Test
  void withAdamL2AndWeightDecayDiffer() {
    Dataset data = regression();
    INDArray withL2 = train(linear(), data, () -> new Adam(0.1), 3, 50, l2(0.5));
    INDArray withDecay = train(linear(), data, () -> new Adam(0.1), 3, 50, decay(0.5));
    double difference = withL2.sub(withDecay).norm2Number().doubleValue();
    assertTrue(difference > 1e-2, "Adam rescales the L2 gradient, not the decoupled decay: " + difference);
  }

  @Test
  void l1DrivesIrrelevantWeightsToZeroWhileL2OnlyShrinksThem() {
    Dataset data = regression();
    // Full-batch gradient descent: L1's subgradient then makes an irrelevant weight hover within
    // lr * lambda = 0.005 of zero, instead of wandering with the batch noise.
    INDArray sparse = train(linear(), data, () -> new Sgd(0.01), 800, data.size(), l1(0.5));
    INDArray shrunk = train(linear(), data, () -> new Sgd(0.01), 800, data.size(), l2(0.5));
    double l1Irrelevant = sparse.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)).amaxNumber().doubleValue();
    double l2Irrelevant = shrunk.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)).amaxNumber().doubleValue();
    assertTrue(l1Irrelevant < 0.01, "L1 leaves irrelevant weights " + sparse);
    assertTrue(l2Irrelevant > 0.03, "L2 irrelevant weights " + shrunk
        + " against L1's " + sparse);
    assertTrue(Math.abs(sparse.getDouble(1)) > 2.5, "the relevant weights stay: " + sparse);
  }

  @Test
  void frozenParametersAreNeverRegularized() {
    Dataset data = regression();
    for (Regularizer r : List.of(l2(1.0), decay(1.0), noise(0.5), l1(1.0))) {
      Layer model = Sequential.of(LayerFactories.create("dense", Map.of("units", 4)),
          LayerFactories.create("dense", Map.of("units", 1)));
      Layers.build(model, data.sampleShape(), new Rng(2));
      INDArray frozen = model.children().get(0).parameters().get("weight").array().dup();
      TrainerConfig config = TrainerConfig.builder().objective(new MeanSquaredError()).optimizer(new Sgd(0.05))
          .epochs(2).batchSize(20).seed(1).progress(false).regularizer(r).freeze("dense_1").build();
      new Trainer(config).fit(model, data, null);
      assertArrayEquals(frozen.ravel().toFloatVector(),
          model.children().get(0).parameters().get("weight").array().ravel().toFloatVector(), 0f, r.toString());
    }
  }

  @Test
  void weightNoisePerturbsTheForwardPassAndPutsTheCleanWeightsBack() {
    Dataset data = regression();
    Layer noisy = linear();
    Layers.build(noisy, data.sampleShape(), new Rng(4));
    INDArray before = Layers.parameters(noisy).get(0).value().array().dup();
    TrainerConfig.Builder config = TrainerConfig.builder().objective(new MeanSquaredError()).optimizer(new Sgd(0.0))
        .epochs(1).batchSize(20).seed(1).progress(false);
    TrainingResult withNoise = new Trainer(config.regularizer(noise(0.5)).build()).fit(noisy, data, null);
    assertArrayEquals(before.ravel().toFloatVector(),
        Layers.parameters(noisy).get(0).value().array().ravel().toFloatVector(), 0f);

    Layer clean = linear();
    Layers.build(clean, data.sampleShape(), new Rng(4));
    TrainingResult without = new Trainer(TrainerConfig.builder().objective(new MeanSquaredError())
        .optimizer(new Sgd(0.0)).epochs(1).batchSize(20).seed(1).progress(false).build()).fit(clean, data, null);
    assertNotEquals(without.history().series("loss"), withNoise.history().series("loss"));
  }

  @Test
  void badOptionsEchoTheValue() {
    ComponentException negative = assertThrows(ComponentException.class, () -> l2(-1));
    assertTrue(negative.getMessage().contains("Received: lambda=-1"), negative.getMessage());
    ComponentException mode = assertThrows(ComponentException.class,
        () -> make(new WeightNoise.Factory(), Map.of("mode", "both")));
    assertTrue(mode.getMessage().contains("Received: mode='both'"), mode.getMessage());
  }
}
