package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.plugins.normalization.BatchNorm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SwaTest {
  private static final Dataset TRAIN = Fixtures.digits();

  /** dense -> batch norm -> relu -> dense: the batch norm sees x W + b of the first layer. */
  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 16)),
        new BatchNorm.Factory().create(Map.of()),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }

  /** Copies of the parameters at the end of every epoch from {@code from} on, and of the last epoch's buffers. */
  private static final class Saved implements Scheduler {
    final int from;
    final List<Map<String, INDArray>> weights = new ArrayList<>();
    Map<String, INDArray> lastBuffers;

    Saved(int from) {
      this.from = from;
    }

    @Override
    public void onEpochEnd(TrainingControl control) {
      if (control.epoch() >= from) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        Layers.parameters(control.model()).forEach(p -> copy.put(p.name(), p.value().array().castTo(DataType.DOUBLE)));
        weights.add(copy);
      }
      Map<String, INDArray> buffers = new LinkedHashMap<>();
      Layers.buffers(control.model()).forEach((name, t) -> buffers.put(name, t.array().dup()));
      lastBuffers = buffers;
    }
  }

  @Test
  void theModelEndsWithTheMeanOfTheSavedWeightsAndBatchStatisticsRecomputedForThem() {
    Saved saved = new Saved(1);
    Swa swa = (Swa) Fixtures.scheduler("swa", Map.of("start_epoch", 1));
    Layer model = model();
    new Trainer(config(4).scheduler(saved).scheduler(swa).build()).fit(model, TRAIN, null);

    assertEquals(3, swa.models());
    for (Parameter p : Layers.parameters(model)) {
      INDArray mean = saved.weights.get(0).get(p.name()).dup();
      for (int i = 1; i < saved.weights.size(); i++) {
        mean.addi(saved.weights.get(i).get(p.name()));
      }
      mean.divi(saved.weights.size());
      assertArrayEquals(mean.ravel().toDoubleVector(), p.value().array().castTo(DataType.DOUBLE).ravel().toDoubleVector(),
          1e-6, p.name());
    }

    // The batch norm's statistics are those of its input under the averaged weights, over every training sample.
    INDArray x = TRAIN.features().array().castTo(DataType.DOUBLE);
    INDArray w = parameter(model, "dense_1.weight");
    INDArray b = parameter(model, "dense_1.bias");
    INDArray h = x.mmul(w).addiRowVector(b);
    INDArray runningMean = Layers.buffers(model).get("batchnorm_1.running_mean").array();
    INDArray runningVar = Layers.buffers(model).get("batchnorm_1.running_var").array();
    assertArrayEquals(h.mean(0).toDoubleVector(), runningMean.castTo(DataType.DOUBLE).toDoubleVector(), 1e-4);
    assertArrayEquals(h.var(true, 0).toDoubleVector(), runningVar.castTo(DataType.DOUBLE).toDoubleVector(),
        1e-4 * (1 + h.var(true, 0).maxNumber().doubleValue()));
    // ... and not the running statistics training left.
    double moved = saved.lastBuffers.get("batchnorm_1.running_mean").sub(runningMean).norm2Number().doubleValue();
    assertTrue(moved > 1e-3, "the statistics were recomputed: they moved by " + moved);
  }

  @Test
  void byDefaultTheLastQuarterOfTheEpochsIsAveragedAndLrHoldsTheRateThere() {
    Swa swa = (Swa) Fixtures.scheduler("swa", Map.of("lr", 1e-4));
    TrainingResult result = new Trainer(config(8).scheduler(swa).build()).fit(Fixtures.mlp(), TRAIN, null);
    assertEquals(6, swa.startEpoch(8));
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0), result.history().series("swa_models"));
    assertEquals(List.of(3e-3, 3e-3, 3e-3, 3e-3, 3e-3, 3e-3, 1e-4, 1e-4), result.history().series("lr"));
    Swa sparse = (Swa) Fixtures.scheduler("swa", Map.of("start_epoch", 1, "every", 2));
    new Trainer(config(6).scheduler(sparse).build()).fit(Fixtures.mlp(), TRAIN, null);
    assertEquals(3, sparse.models(), "epochs 1, 3 and 5");
  }

  @Test
  void aResumedRunAveragesTheSameEpochsBitForBit(@TempDir Path dir) {
    Layer straight = model();
    Swa uninterrupted = (Swa) Fixtures.scheduler("swa", Map.of("start_epoch", 1));
    new Trainer(config(4).scheduler(uninterrupted).build()).fit(straight, TRAIN, null);

    Trainer[] first = new Trainer[1];
    Scheduler interrupter = new Scheduler() {
      @Override
      public void onBatchEnd(TrainingControl control) {
        if (control.epoch() == 2 && control.batch() == 3) {
          first[0].interrupt();
        }
      }
    };
    first[0] = new Trainer(config(4).scheduler(Fixtures.scheduler("swa", Map.of("start_epoch", 1)))
        .scheduler(interrupter).checkpointDir(dir).build());
    assertTrue(first[0].fit(model(), TRAIN, null).interrupted());
    Layer resumed = model();
    Swa again = (Swa) Fixtures.scheduler("swa", Map.of("start_epoch", 1));
    new Trainer(config(4).scheduler(again).resumeFrom(dir.resolve(Trainer.LAST)).build()).fit(resumed, TRAIN, null);

    assertEquals(3, again.models());
    Map<String, INDArray> want = ModelArrays.live(straight);
    Map<String, INDArray> got = ModelArrays.live(resumed);
    want.forEach((name, a) -> assertArrayEquals(a.ravel().toFloatVector(), got.get(name).ravel().toFloatVector(), 0f,
        name));
  }

  @Test
  void badOptionsEchoTheValue() {
    Fixtures.assertRejected("swa", Map.of("every", 0), "every=0");
    Fixtures.assertRejected("swa", Map.of("bn_batch_size", 1), "bn_batch_size=1");
  }

  private static INDArray parameter(Layer model, String name) {
    return Layers.parameters(model).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().value()
        .array().castTo(DataType.DOUBLE);
  }

  private static TrainerConfig.Builder config(int epochs) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(3e-3))
        .epochs(epochs)
        .batchSize(64)
        .seed(12)
        .progress(false);
  }
}
