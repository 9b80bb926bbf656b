package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.PreciseBatchNorm;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PreciseBatchNormTest {
  private static final double[] MEAN = {4, -2, 0.5};
  private static final double[] STD = {2, 0.5, 1};

  @Test
  void reEstimationGivesExactlyTheDataStatisticsWhenTheBatchNormInputIsFixed() {
    Layer bn = new BatchNorm.Factory().create(Map.of());
    Layer model = Layers.build(Sequential.of(new LoudNoise(), bn), new long[] {3}, new Rng(1));
    INDArray data = BatchNormTest.gaussian(new Rng(2), new long[] {500, 3}, MEAN, STD);
    trainWithNoise(model, data);
    assertTrue(values(bn, "running_var")[1] > 10, "training with noise left a running variance far from the data's");

    int layers = PreciseBatchNorm.reestimate(model, Tensor.of(data), 64, new Rng(3));

    assertEquals(1, layers);
    INDArray d = data.castTo(DataType.DOUBLE);
    assertArrayEquals(d.mean(0).toDoubleVector(), values(bn, "running_mean"), 1e-5, "running mean: the data's");
    assertArrayEquals(d.var(true, 0).toDoubleVector(), values(bn, "running_var"), 1e-5,
        "running variance: the data's, unbiased");
  }

  @Test
  void convolutionalStatisticsPoolBatchesOfAnySizeOverSamplesAndPositions() {
    Layer first = new BatchNorm.Factory().create(Map.of());
    Layer second = new BatchNorm.Factory().create(Map.of("affine", false));
    Layer model = Layers.build(Sequential.of(first, LayerFactories.create("relu"), second), new long[] {2, 3, 3},
        new Rng(1));
    Rng rng = new Rng(4);
    List<Tensor> batches = new ArrayList<>();
    for (int size : new int[] {5, 2, 9}) {
      batches.add(Tensor.of(BatchNormTest.gaussian(rng, new long[] {size, 2, 3, 3}, new double[] {1, -3},
          new double[] {0.5, 2})));
    }

    assertEquals(2, PreciseBatchNorm.reestimate(model, batches));

    INDArray all = Nd4j.concat(0, batches.stream().map(Tensor::array).toArray(INDArray[]::new)).castTo(DataType.DOUBLE);
    INDArray perChannel = all.permute(1, 0, 2, 3).dup('c').reshape(2, -1);
    assertArrayEquals(perChannel.mean(1).toDoubleVector(), values(first, "running_mean"), 1e-5);
    assertArrayEquals(perChannel.var(true, 1).toDoubleVector(), values(first, "running_var"), 1e-5);
  }

  @Test
  void aFailedPassGivesEveryLayerItsPreviousStatisticsBack() {
    Layer bn = new BatchNorm.Factory().create(Map.of());
    Layer model = Layers.build(Sequential.of(bn), new long[] {3}, new Rng(1));
    INDArray data = BatchNormTest.gaussian(new Rng(2), new long[] {40, 3}, MEAN, STD);
    trainWithNoise(model, data);
    INDArray mean = bn.buffers().get("running_mean").array().dup();
    INDArray var = bn.buffers().get("running_var").array().dup();

    List<Tensor> batches = List.of(Tensor.of(data), Tensor.zeros(4, 5));
    assertThrows(ShapeException.class, () -> PreciseBatchNorm.reestimate(model, batches));

    assertEquals(mean, bn.buffers().get("running_mean").array());
    assertEquals(var, bn.buffers().get("running_var").array());
    // And the layer is back to momentum updates.
    model.forward(Tensor.of(data), ForwardContext.training(new Rng(5)));
    assertArrayEquals(mean.mul(0.9).add(data.mean(0).mul(0.1)).toDoubleVector(), values(bn, "running_mean"), 1e-6);
  }

  @Test
  void noBatchesIsAnErrorAndAModelWithoutBatchNormIsLeftAlone() {
    Layer model = Layers.build(Sequential.of(new BatchNorm.Factory().create(Map.of())), new long[] {3}, new Rng(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreciseBatchNorm.reestimate(model, List.of()));
    assertTrue(e.getMessage().contains("at least one batch"), e.getMessage());

    Layer plain = Layers.build(Sequential.of(new LayerNorm.Factory().create(Map.of())), new long[] {3}, new Rng(1));
    assertEquals(0, PreciseBatchNorm.reestimate(plain, List.of(Tensor.zeros(2, 3))));
  }

  @Test
  void batchesCoverEveryRowOnceAndMergeALastBatchOfOne() {
    for (int[] c : new int[][] {{129, 64, 64, 65}, {130, 64, 64, 64, 2}, {9, 4, 4, 5}, {10, 4, 4, 4, 2}}) {
      int n = c[0];
      Tensor features = Tensor.of(Nd4j.arange(n).castTo(DataType.FLOAT).reshape(n, 1));
      List<Integer> sizes = new ArrayList<>();
      List<Double> rows = new ArrayList<>();
      for (Tensor batch : PreciseBatchNorm.batches(features, c[1], new Rng(8))) {
        sizes.add((int) batch.size(0));
        for (double v : batch.array().toDoubleVector()) {
          rows.add(v);
        }
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 2; i < c.length; i++) {
        expected.add(c[i]);
      }
      assertEquals(expected, sizes, "batch sizes for " + n + " rows in batches of " + c[1]);
      rows.sort(Double::compare);
      for (int i = 0; i < n; i++) {
        assertEquals(i, rows.get(i), 0, "row " + i + " appears once");
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreciseBatchNorm.batches(Tensor.zeros(4, 1), 1, new Rng(1)));
    assertTrue(e.getMessage().contains("batchSize=1"), e.getMessage());
  }

  @Test
  void aDigitsMlpWithBatchNormTrainsAndKeepsItsAccuracyAfterReEstimation() {
    Dataset digits = EmbeddedData.digits();
    Dataset.Split split = digits.split(0.25, new Rng(11));
    Dataset train = scaled(split.train());
    Dataset test = scaled(split.validation());
    Layer model = Sequential.of(
        LayerFactories.create("dense", Map.of("units", 64)),
        new BatchNorm.Factory().create(Map.of()),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
    new Trainer(TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(2e-3))
        .metric(new Accuracy())
        .epochs(4)
        .batchSize(32)
        .seed(5)
        .progress(false)
        .build()).fit(model, train, null);
    double before = accuracy(model, test);
    assertTrue(before >= 0.93, "test accuracy after training " + before);

    PreciseBatchNorm.reestimate(model, train.features(), 64, new Rng(6));

    double after = accuracy(model, test);
    assertTrue(after >= before - 0.01, "test accuracy " + before + " before re-estimation and " + after + " after");
  }

  // ------------------------------------------------------------------ helpers

  /** Training passes with the noise on, so that the running statistics see the noise's variance. */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private static void trainWithNoise(Layer model, INDArray data) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int step = 0; step < 30; step++) {
        model.forward(Tensor.of(data), ForwardContext.training(new Rng(100 + step)));
      }
    }
  }

  private static double[] values(Layer bn, String buffer) {
    return bn.buffers().get(buffer).array().castTo(DataType.DOUBLE).toDoubleVector();
  }

  private static Dataset scaled(Dataset d) {
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private static double accuracy(Layer model, Dataset test) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray logits = model.forward(test.features(), ForwardContext.evaluation()).array();
      INDArray predicted = logits.argMax(1).castTo(test.targets().dataType());
      return predicted.eq(test.targets().array()).castTo(test.targets().dataType()).meanNumber().doubleValue();
    }
  }
}
