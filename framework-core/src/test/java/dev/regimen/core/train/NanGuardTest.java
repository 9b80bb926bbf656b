package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The NaN guard: a non-finite loss or gradient makes no update, says where it began, and stops or skips. */
class NanGuardTest {
  private static final Dataset DATA = Synthetic.spirals(320, 3, 0.1, new Rng(4));

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 16)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  private static TrainerConfig.Builder config() {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-2))
        .epochs(3)
        .batchSize(32)
        .seed(3)
        .progress(false);
  }

  /** Blows the last dense layer's weights up to infinity after the third batch of the second epoch. */
  private static Scheduler overflowLastLayer() {
    return new Scheduler() {
      @Override
      @SuppressWarnings("try")
      public void onBatchEnd(TrainingControl control) {
        if (control.epoch() == 1 && control.batch() == 2) {
          try (Tensor.GradScope ignored = Tensor.noGrad()) {
            Layers.parameters(control.model()).get(2).value().array().muli(Float.MAX_VALUE).muli(10);
          }
        }
      }
    };
  }

  @Test
  void aNonFiniteOutputStopsNamingTheFirstLayerAndTheCheckpointKeepsTheLastGoodWeights(@TempDir Path dir) {
    TrainerConfig config = config().scheduler(overflowLastLayer()).checkpointDir(dir).build();
    TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config).fit(model(), DATA, null));
    assertTrue(e.getMessage().startsWith("The loss became NaN at epoch 2, batch 4; the last finite loss was "),
        e.getMessage());
    assertTrue(e.getMessage().contains("The output of layer 'dense_2' is the first to hold non-finite values"),
        e.getMessage());
    assertEquals(3 + 10, config.optimizer().steps(), "no update from the failed step");

    Checkpoint last = CheckpointStore.load(dir.resolve(Trainer.LAST));
    assertEquals(1, last.state().epoch(), "the last checkpoint is the last good epoch's");
    for (Map.Entry<String, INDArray> a : last.modelArrays().entrySet()) {
      assertTrue(NonFiniteSearch.finite(a.getValue()), a.getKey() + " is finite");
    }
  }

  /** A penalty whose value is 0 and whose gradient is NaN: 0 * sqrt(w - w) has d/dw = 0 * inf. */
  private static final class NanGradient implements Regularizer {
    @Override
    public Tensor penalty(List<Parameter> parameters) {
      Tensor w = parameters.get(0).value();
      return w.sub(w).sqrt().sum().mul(0.0);
    }
  }

  @Test
  void aNonFiniteGradientWithAFiniteLossNamesTheParameter() {
    TrainerConfig config = config().regularizer(new NanGradient()).build();
    TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config).fit(model(), DATA, null));
    assertTrue(e.getMessage().startsWith("The gradient became non-finite at epoch 1, batch 1; no finite loss"),
        e.getMessage());
    assertTrue(e.getMessage().contains("The gradient of dense_1.weight (layer 'dense_1') is the first, in backward"
        + " order, to hold non-finite values; 1 of 4"), e.getMessage());
    assertEquals(0, config.optimizer().steps());
  }

  /**
   * An augmenter that makes one value of the batch holding sample {@code row} infinite (data sets refuse
   * non-finite values, so only a transformation can bring one in).
   */
  private static Augmenter poisoning(int row) {
    return (batch, ctx) -> {
      for (int i = 0; i < batch.indices().length; i++) {
        if (batch.indices()[i] == row) {
          INDArray inputs = batch.inputs().array().dup();
          inputs.putScalar(new long[] {i, 1}, Double.POSITIVE_INFINITY);
          return batch.withInputs(Tensor.of(inputs));
        }
      }
      return batch;
    };
  }

  @Test
  void withSkipTheBatchIsPassedOverAndCountedAndTrainingGoesOn() {
    // The batch that holds sample 17 (a different one each epoch) is skipped every epoch.
    TrainerConfig config = config().augmenter(poisoning(17)).onNonFinite(TrainerConfig.NonFinite.SKIP).build();
    Layer model = model();
    TrainingResult result = new Trainer(config).fit(model, DATA, null);

    assertEquals(List.of(1.0, 1.0, 1.0), result.history().series(Trainer.SKIPPED_BATCHES));
    assertEquals(3 * 9, config.optimizer().steps(), "9 of the 10 batches of each epoch make an update");
    for (Parameter p : Layers.parameters(model)) {
      assertTrue(NonFiniteSearch.finite(p.value().array()), p.name());
    }
    assertTrue(result.history().series("loss").stream().allMatch(Double::isFinite), result.history().series("loss")
        .toString());
  }

  @Test
  void nonFiniteInputsAreNamedAsSuch() {
    TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(config().augmenter(poisoning(5))
        .build()).fit(model(), DATA, null));
    assertTrue(e.getMessage().contains("The batch's inputs hold non-finite values"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.NonFinite.parse("ignore"));
    assertTrue(bad.getMessage().contains("on_non_finite='ignore'"), bad.getMessage());
  }
}
