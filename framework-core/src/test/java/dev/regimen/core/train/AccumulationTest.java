package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.AdamW;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gradient accumulation: k micro-batches per update train as one batch k times as large. */
class AccumulationTest {
  /** 450 samples: 14 batches of 32 and one of 2, or 56 micro-batches of 8 and one of 2. */
  private static final Dataset DATA = Synthetic.spirals(450, 3, 0.1, new Rng(4));

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  /**
   * A decoupled decay of its own (p = 0.99 p before each step) with an L2 penalty (0.5 * 1e-3 ||w||^2
   * in the loss), counting its hooks: the decay must advance once per update, the penalty's gradient
   * must count once per update however many micro-batches make it.
   */
  private static final class Counting implements Regularizer {
    int forwards;
    int gradients;
    int steps;

    @Override
    public Tensor penalty(List<Parameter> parameters) {
      Tensor sum = null;
      for (Parameter p : parameters) {
        if (p.weight()) {
          Tensor square = p.value().mul(p.value()).sum();
          sum = sum == null ? square : sum.add(square);
        }
      }
      return sum.mul(0.5e-3);
    }

    @Override
    public void beforeForward(List<Parameter> parameters, Context ctx) {
      forwards++;
    }

    @Override
    public void onGradients(List<Parameter> parameters, Context ctx) {
      gradients++;
    }

    @Override
    @SuppressWarnings("try")
    public void beforeStep(List<Parameter> parameters, Context ctx) {
      steps++;
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        parameters.forEach(p -> p.value().array().muli(0.99));
      }
    }
  }

  private static TrainerConfig.Builder config(int batchSize, int accumulate, Regularizer regularizer) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new AdamW(3e-3, 0.01))
        .metric(new Accuracy())
        .regularizer(regularizer)
        .epochs(3)
        .batchSize(batchSize)
        .accumulate(accumulate)
        .seed(9)
        .progress(false);
  }

  @Test
  void fourMicroBatchesPerUpdateGiveTheWeightsOfBatchesFourTimesAsLarge() {
    Counting largeHooks = new Counting();
    TrainerConfig large = config(32, 1, largeHooks).build();
    Layer expected = model();
    TrainingResult expectedResult = new Trainer(large).fit(expected, DATA, null);

    Counting microHooks = new Counting();
    TrainerConfig accumulated = config(8, 4, microHooks).build();
    Layer actual = model();
    TrainingResult result = new Trainer(accumulated).fit(actual, DATA, null);

    List<Parameter> want = Layers.parameters(expected);
    List<Parameter> got = Layers.parameters(actual);
    for (int i = 0; i < want.size(); i++) {
      float[] w = want.get(i).value().array().ravel().toFloatVector();
      float[] g = got.get(i).value().array().ravel().toFloatVector();
      for (int j = 0; j < w.length; j++) {
        assertEquals(w[j], g[j], 2e-5f * (1 + Math.abs(w[j])), want.get(i).name() + "[" + j + "]");
      }
    }
    // 15 updates an epoch either way; the optimizer, its per-parameter step count and the decay advance per update.
    assertEquals(45, large.optimizer().steps());
    assertEquals(45, accumulated.optimizer().steps());
    assertEquals(45.0, accumulated.optimizer().state().get("dense_1.weight.step").getDouble(0));
    assertEquals(45, microHooks.steps);
    assertEquals(45, microHooks.gradients);
    assertEquals(3 * 57, microHooks.forwards, "one forward per micro-batch");
    assertEquals(45, largeHooks.forwards);
    // The epoch's mean loss and accuracy are over the same samples.
    List<Double> wantLoss = expectedResult.history().series("loss");
    List<Double> gotLoss = result.history().series("loss");
    for (int e = 0; e < 3; e++) {
      assertEquals(wantLoss.get(e), gotLoss.get(e), 1e-5, "loss of epoch " + (e + 1));
    }
    assertEquals(expectedResult.history().series("accuracy"), result.history().series("accuracy"));
  }

  @Test
  void schedulersCountUpdatesAndKnowTheStepsOfAnEpoch() {
    int[] batchEnds = {0};
    int[] stepsPerEpoch = {0};
    long[] lastStep = {0};
    Scheduler counter = new Scheduler() {
      @Override
      public void onTrainStart(TrainingControl control) {
        stepsPerEpoch[0] = control.stepsPerEpoch();
      }

      @Override
      public void onBatchEnd(TrainingControl control) {
        batchEnds[0]++;
        lastStep[0] = control.step();
        assertEquals(batchEnds[0] - 1, control.batch() + control.epoch() * 15);
      }
    };
    new Trainer(config(8, 4, new Counting()).scheduler(counter).build()).fit(model(), DATA, null);
    assertEquals(15, stepsPerEpoch[0]);
    assertEquals(45, batchEnds[0]);
    assertEquals(45, lastStep[0]);
  }

  @Test
  void aRunResumedInTheMiddleOfAnEpochEndsBitForBitAsAnUninterruptedOne(@TempDir Path dir) {
    Layer expected = model();
    new Trainer(config(8, 4, new Counting()).build()).fit(expected, DATA, null);

    Trainer[] first = new Trainer[1];
    Scheduler interrupter = new Scheduler() {
      @Override
      public void onBatchEnd(TrainingControl control) {
        if (control.epoch() == 1 && control.batch() == 6) {
          first[0].interrupt();
        }
      }
    };
    first[0] = new Trainer(config(8, 4, new Counting()).checkpointDir(dir).scheduler(interrupter).build());
    assertTrue(first[0].fit(model(), DATA, null).interrupted());

    Layer resumed = model();
    new Trainer(config(8, 4, new Counting()).resumeFrom(dir.resolve(Trainer.LAST)).build()).fit(resumed, DATA, null);
    List<Parameter> want = Layers.parameters(expected);
    List<Parameter> got = Layers.parameters(resumed);
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).value().array().ravel().toFloatVector(),
          got.get(i).value().array().ravel().toFloatVector(), 0f, want.get(i).name());
    }

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
        config(8, 2, new Counting()).resumeFrom(dir.resolve(Trainer.LAST)).build()).fit(model(), DATA, null));
    assertTrue(e.getMessage().contains("accumulate=4"), e.getMessage());
  }

  @Test
  void aCountBelowOneIsRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config(8, 0, new Counting()).build());
    assertTrue(e.getMessage().contains("accumulate=0"), e.getMessage());
  }
}
