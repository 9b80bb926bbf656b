package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.schedule.EarlyStopping;
import dev.regimen.core.schedule.SchedulerFactories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
  private static Dataset train;
  private static Dataset validation;
  private static Dataset test;

  @BeforeAll
  static void loadDigits() {
    Dataset digits = EmbeddedData.digits();
    Dataset.Split outer = digits.split(0.2, new Rng(11));
    Dataset.Split inner = outer.train().split(0.2, new Rng(12));
    train = scaled(inner.train());
    validation = scaled(inner.validation());
    test = scaled(outer.validation());
  }

  private static Dataset scaled(Dataset d) {
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  private static Layer mlp() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 64)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }

  private static Scheduler scheduler(String name, Map<String, ?> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return registry.create(ComponentKind.SCHEDULER, name, options);
  }

  private static TrainerConfig.Builder base() {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(2e-3))
        .metric(new Accuracy())
        .batchSize(32)
        .seed(5)
        .progress(false);
  }

  @Test
  void trainsTheDigitsMlpToNinetyFivePercentWithEarlyStoppingRestoringTheBestWeights() {
    EarlyStopping early = (EarlyStopping) scheduler("early_stopping", Map.of("monitor", "val_accuracy", "patience", 3));
    Layer model = mlp();
    TrainingResult result = new Trainer(base().epochs(40).scheduler(early).build()).fit(model, train, validation);

    List<Double> valAccuracy = result.history().series("val_accuracy");
    double best = valAccuracy.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertEquals(best, early.best());
    // The restored weights are the best epoch's: evaluating again gives its validation accuracy.
    double restored = Evaluation.evaluate(model, validation, null, List.of(new Accuracy()), 256).get("accuracy");
    assertEquals(best, restored, 1e-9);
    double testAccuracy = Evaluation.evaluate(model, test, null, List.of(new Accuracy()), 256).get("accuracy");
    assertTrue(testAccuracy >= 0.95, "test accuracy " + testAccuracy);
  }

  @Test
  void theHistoryHoldsEveryMetricForEveryEpoch() {
    TrainingResult result = new Trainer(base().epochs(2).build()).fit(mlp(), train, validation);
    assertEquals(2, result.history().epochs());
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr"),
        new ArrayList<>(result.history().epoch(1).keySet()));
    assertTrue(result.history().series("loss").get(1) < result.history().series("loss").get(0));
    assertEquals(null, result.stopReason());
  }

  @Test
  void sameSeedGivesIdenticalWeights() {
    Layer a = mlp();
    Layer b = mlp();
    new Trainer(base().epochs(2).build()).fit(a, train, null);
    new Trainer(base().epochs(2).build()).fit(b, train, null);
    assertEquals(Layers.parameters(a).get(0).value().array(), Layers.parameters(b).get(0).value().array());
  }

  @Test
  void aNonFiniteLossStopsWithTheEpochBatchAndLastFiniteLoss() {
    // An objective that diverges on the 4th batch of the second epoch, as an exploding run would.
    int batchesPerEpoch = (train.size() + 31) / 32;
    int[] calls = {0};
    SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
    dev.regimen.api.train.Objective diverging = (output, target, ctx) -> {
      Tensor loss = ce.loss(output, target, ctx);
      return ++calls[0] == batchesPerEpoch + 4 ? loss.mul(Double.NaN) : loss;
    };
    EarlyStopping early = (EarlyStopping) scheduler("early_stopping", Map.of("monitor", "loss"));
    TrainerConfig config = base().objective(diverging).scheduler(early).epochs(3).build();
    Layer model = mlp();
    TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config).fit(model, train, null));
    assertTrue(e.getMessage().matches("The loss became NaN at epoch 2, batch 4; the last finite loss was [0-9.]+\\. .*"),
        e.getMessage());
    assertEquals(1, e.history().epochs(), "the first epoch's metrics are kept");
    assertEquals(0, early.bestEpoch(), "early stopping still restored the best weights at the end");
  }

  @Test
  void frozenLayersAreNotUpdated() {
    Layer model = mlp();
    Layers.build(model, train.sampleShape(), new Rng(1));
    INDArray frozenBefore = model.children().get(0).parameters().get("weight").array().dup();
    INDArray trainedBefore = model.children().get(2).parameters().get("weight").array().dup();
    new Trainer(base().epochs(1).freeze("dense_1").build()).fit(model, train, null);
    assertEquals(frozenBefore, model.children().get(0).parameters().get("weight").array());
    assertNotEquals(trainedBefore, model.children().get(2).parameters().get("weight").array());
  }

  @Test
  void freezingAContainerFreezesEveryLayerInside() {
    Layer model = mlp();
    Layers.build(model, train.sampleShape(), new Rng(1));
    INDArray first = model.children().get(0).parameters().get("weight").array().dup();
    INDArray last = model.children().get(2).parameters().get("weight").array().dup();
    new Trainer(base().epochs(1).freeze("sequential_1").build()).fit(model, train, null);
    assertEquals(first, model.children().get(0).parameters().get("weight").array());
    assertEquals(last, model.children().get(2).parameters().get("weight").array());
  }

  @Test
  void freezingAnUnknownLayerListsTheLayers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(base().epochs(1).freeze("dense_9").build()).fit(mlp(), train, null));
    assertEquals("Cannot freeze layer 'dense_9': the model has no such layer. Layers: sequential_1, dense_1, relu_1, "
        + "dense_2", e.getMessage());
  }

  @Test
  void interruptStopsAtABatchBoundary() {
    Trainer[] trainer = new Trainer[1];
    int[] batchesSeen = {0};
    Scheduler interrupter = new Scheduler() {
      @Override
      public void onBatchEnd(TrainingControl control) {
        if (++batchesSeen[0] == 5) {
          trainer[0].interrupt();
        }
      }
    };
    trainer[0] = new Trainer(base().epochs(3).scheduler(interrupter).build());
    TrainingResult result = trainer[0].fit(mlp(), train, validation);
    assertTrue(result.interrupted());
    assertEquals(5, batchesSeen[0]);
    assertEquals("interrupted at epoch 1, batch 5", result.stopReason());
  }

  @Test
  void augmentersSeeTheEpochAndCanAskForTheInputGradientWithoutTouchingParameterGradients() {
    List<Integer> epochs = new ArrayList<>();
    double[] gradientNorm = {0};
    Augmenter probe = (batch, ctx) -> {
      epochs.add(ctx.epoch());
      assertEquals(10, ctx.numClasses());
      Tensor g = ctx.inputGradient(batch);
      assertArrayEquals(batch.inputs().shape(), g.shape());
      gradientNorm[0] = Math.max(gradientNorm[0], g.array().norm2Number().doubleValue());
      return batch;
    };
    Layer model = mlp();
    new Trainer(base().epochs(2).augmenter(probe).build()).fit(model, train, null);
    assertEquals(0, epochs.get(0));
    assertEquals(1, epochs.get(epochs.size() - 1));
    assertTrue(gradientNorm[0] > 0);
  }

  @Test
  void schedulersSeeTheTrainingSampleTheValidationBatchesAndTheInputGradient() {
    long[] validationRows = {0};
    long[] sampleRows = {0};
    double[] gradientNorm = {0};
    Scheduler probe = new Scheduler() {
      @Override
      public void onEpochEnd(TrainingControl control) {
        for (Batch b : control.validationBatches(100)) {
          validationRows[0] += b.size();
          gradientNorm[0] = control.inputGradient(b).array().norm2Number().doubleValue();
        }
        Batch sample = control.trainingSample(7);
        sampleRows[0] = sample.size();
        assertEquals(train.features().array().getRow(6), sample.inputs().array().getRow(6));
      }
    };
    new Trainer(base().epochs(1).scheduler(probe).build()).fit(mlp(), train, validation);
    assertEquals(validation.size(), validationRows[0]);
    assertEquals(7, sampleRows[0]);
    assertTrue(gradientNorm[0] > 0);
  }

  @Test
  void anAugmenterCanReplaceTheBatch() {
    // An augmenter that zeroes the inputs makes the model learn nothing but the class prior.
    Augmenter blank = (batch, ctx) -> new Batch(Tensor.zeros(batch.inputs().dataType(), batch.inputs().shape()),
        batch.targets(), batch.indices());
    TrainingResult result = new Trainer(base().epochs(2).augmenter(blank).build()).fit(mlp(), train, validation);
    assertTrue(result.history().last("val_accuracy").getAsDouble() < 0.3);
    assertFalse(result.interrupted());
  }
}
