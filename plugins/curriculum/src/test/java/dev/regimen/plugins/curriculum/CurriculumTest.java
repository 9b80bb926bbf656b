package dev.regimen.plugins.curriculum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.Losses;
import dev.regimen.testkit.FakeControl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** What the curriculum asks of the trainer, epoch by epoch, on a control driven by hand. */
class CurriculumTest {
  private static final int N = 20;
  private static final double[] SCORES = Components.scrambled(N);
  private static final int[] EASIEST_FIRST = Components.easiestFirst(SCORES);

  private static Map<String, Object> options(Object... more) {
    Map<String, Object> options = new HashMap<>(Map.of("scores", SCORES, "start", 0.25, "epochs", 3));
    for (int i = 0; i < more.length; i += 2) {
      options.put((String) more[i], more[i + 1]);
    }
    return options;
  }

  private static FakeControl control() {
    Dataset data = Components.data(N, 1);
    return new FakeControl().withModel(Components.mlp()).withTraining(data.features(), data.targets());
  }

  @Test
  void easiestFirstEpochsSeeTheEasiestFractionSortedByScore() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options("order", "easiest_first")), 3);
    assertArrayEquals(Arrays.copyOf(EASIEST_FIRST, 5), control.samplesSetIn(0), "ceil(0.25 * 20) rows");
    assertArrayEquals(Arrays.copyOf(EASIEST_FIRST, 10), control.samplesSetIn(1), "ceil(0.5 * 20) rows");
    assertArrayEquals(Arrays.copyOf(EASIEST_FIRST, 15), control.samplesSetIn(2), "ceil(0.75 * 20) rows");
    for (int i = 1; i < 15; i++) {
      assertTrue(SCORES[control.samplesSetIn(2)[i - 1]] <= SCORES[control.samplesSetIn(2)[i]], "easiest first at " + i);
    }
  }

  @Test
  void shuffledEpochsSeeTheSameRowsInANewOrderEachEpoch() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options()), 3);
    for (int e = 0; e < 3; e++) {
      int[] rows = control.samplesSetIn(e).clone();
      Arrays.sort(rows);
      int[] expected = Arrays.copyOf(EASIEST_FIRST, 5 * (e + 1));
      Arrays.sort(expected);
      assertArrayEquals(expected, rows, "epoch " + e + " sees the easiest rows");
    }
    assertFalse(Arrays.equals(Arrays.copyOf(EASIEST_FIRST, 15), control.samplesSetIn(2)), "shuffled, not sorted");
  }

  @Test
  void theShuffleFollowsTheSeed() {
    FakeControl a = control();
    FakeControl b = control();
    FakeControl c = control();
    a.startEpochs(Components.curriculum(options()), 3);
    b.startEpochs(Components.curriculum(options()), 3);
    c.startEpochs(Components.curriculum(options("seed", 9)), 3);
    assertArrayEquals(a.samplesSetIn(2), b.samplesSetIn(2));
    assertFalse(Arrays.equals(a.samplesSetIn(2), c.samplesSetIn(2)));
  }

  @Test
  void afterThePacingPeriodTheTrainerGetsTheFullDataBackOnce() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options()), 6);
    assertNull(control.samplesSetIn(3), "epoch T gives the full data back");
    assertFalse(control.anySamplesSetIn(4) || control.anySamplesSetIn(5), "and then leaves the trainer's order alone");
    assertEquals(4, control.epochSamples.size());
  }

  @Test
  void recordsTheFractionOfEachEpoch() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options()), 5);
    assertEquals(List.of(0.25, 0.5, 0.75, 1.0, 1.0), control.history().series(Curriculum.FRACTION));
  }

  @Test
  void aStartOfOneNeverChooses() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options("start", 1.0)), 3);
    assertTrue(control.epochSamples.isEmpty());
    assertEquals(List.of(1.0, 1.0, 1.0), control.history().series(Curriculum.FRACTION));
  }

  @Test
  void stepPacingHoldsEachStage() {
    FakeControl control = control();
    control.startEpochs(Components.curriculum(options("pacing", "step", "start", 0.2, "epochs", 4, "steps", 2)), 5);
    assertEquals(List.of(0.2, 0.2, 0.6, 0.6, 1.0), control.history().series(Curriculum.FRACTION));
  }

  @Test
  void scoresMustMatchTheTrainingSet() {
    FakeControl control = control();
    Curriculum curriculum = Components.curriculum(Map.of("scores", Arrays.copyOf(SCORES, N - 1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> curriculum.onTrainStart(control));
    assertTrue(e.getMessage().contains("19 difficulty scores") && e.getMessage().contains("20 rows"), e.getMessage());
  }

  @Test
  void theCheckpointStateKeepsTheScoresSoAResumedRunDoesNotScoreAgain() {
    FakeControl first = control();
    IntToDoubleFunction scorer = i -> SCORES[i];
    Curriculum original = Components.curriculum(Map.of("scorer", scorer, "start", 0.25, "epochs", 3));
    first.startEpochs(original, 3);
    Map<String, Object> state = original.state();

    IntToDoubleFunction failing = i -> {
      throw new AssertionError("scored again");
    };
    Curriculum resumed = Components.curriculum(Map.of("scorer", failing, "start", 0.25, "epochs", 3));
    resumed.loadState(state);
    FakeControl second = control();
    second.startEpochs(resumed, 3);
    assertArrayEquals(first.samplesSetIn(2), second.samplesSetIn(2));
  }

  @Test
  void anIndexScorerOrdersByItsValue() {
    FakeControl control = control();
    IntToDoubleFunction hardestLast = i -> -i;
    control.startEpochs(Components.curriculum(Map.of("scorer", hardestLast, "order", "easiest_first", "start", 0.2)), 1);
    assertArrayEquals(new int[] {19, 18, 17, 16}, control.samplesSetIn(0));
  }

  @Test
  void aBatchScorerSeesEachRowAsAOneRowBatch() {
    FakeControl control = control();
    List<int[]> seen = new ArrayList<>();
    ToDoubleFunction<Batch> firstFeature = row -> {
      assertEquals(1, row.size());
      assertEquals(1, row.targets().size(0));
      seen.add(row.indices());
      return row.inputs().array().getDouble(0, 0);
    };
    Curriculum curriculum = Components.curriculum(Map.of("scorer", firstFeature, "order", "easiest_first"));
    control.startEpochs(curriculum, 1);
    assertEquals(N, seen.size());
    assertArrayEquals(new int[] {7}, seen.get(7));
    double[] feature = Components.data(N, 1).features().array().getColumn(0).dup().castTo(
        org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    assertArrayEquals(feature, curriculum.scores(), 0.0);
    assertArrayEquals(Arrays.copyOf(Components.easiestFirst(feature), 4), control.samplesSetIn(0));
  }

  @Test
  void aScriptFunctionIsCalledWithTheIndexAndTheLabel() {
    try (org.graalvm.polyglot.Context js = org.graalvm.polyglot.Context.newBuilder("js")
        .sandbox(org.graalvm.polyglot.SandboxPolicy.CONSTRAINED)
        .out(java.io.OutputStream.nullOutputStream()).err(java.io.OutputStream.nullOutputStream()).build()) {
      Object scorer = js.eval("js", "(i, label) => label * 1000 - i");
      FakeControl control = control();
      Curriculum curriculum = Components.curriculum(Map.of("scorer", scorer, "order", "easiest_first"));
      control.startEpochs(curriculum, 1);
      int[] labels = Components.data(N, 1).labels();
      for (int i = 0; i < N; i++) {
        assertEquals(labels[i] * 1000.0 - i, curriculum.scores()[i], "row " + i);
      }
    }
  }

  @Test
  void aScriptFunctionMustReturnANumber() {
    try (org.graalvm.polyglot.Context js = org.graalvm.polyglot.Context.newBuilder("js")
        .out(java.io.OutputStream.nullOutputStream()).err(java.io.OutputStream.nullOutputStream()).build()) {
      Curriculum curriculum = Components.curriculum(Map.of("scorer", js.eval("js", "(i) => 'hard'")));
      RuntimeException e = assertThrows(RuntimeException.class, () -> curriculum.onTrainStart(control()));
      assertTrue(e.getMessage().contains("must return a number") && e.getMessage().contains("hard"), e.getMessage());
    }
  }

  @Test
  void aNonFiniteScoreNamesTheRow() {
    IntToDoubleFunction scorer = i -> i == 3 ? Double.NaN : i;
    Curriculum curriculum = Components.curriculum(Map.of("scorer", scorer));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> curriculum.onTrainStart(control()));
    assertTrue(e.getMessage().contains("NaN for training row 3"), e.getMessage());
  }

  @Test
  void lossScoresAreEachSamplesCrossEntropyUnderTheReference() {
    Layer reference = Components.mlp();
    Layers.build(reference, new long[] {4}, new Rng(4));
    FakeControl control = control();
    Curriculum curriculum = Components.curriculum(Map.of("reference", reference, "order", "easiest_first"));
    control.startEpochs(curriculum, 1);
    double[] expected = crossEntropies(reference, Components.data(N, 1));
    assertArrayEquals(expected, curriculum.scores(), 1e-5);
    assertArrayEquals(Arrays.copyOf(Components.easiestFirst(expected), 4), control.samplesSetIn(0));
  }

  @Test
  void withoutAReferenceTheModelBeingTrainedScoresTheData() {
    FakeControl control = control();
    Layers.build(control.model(), new long[] {4}, new Rng(5));
    Curriculum curriculum = Components.curriculum(Map.of("score", "loss"));
    control.startEpochs(curriculum, 1);
    assertArrayEquals(crossEntropies(control.model(), Components.data(N, 1)), curriculum.scores(), 1e-5);
  }

  @Test
  void anUnbuiltReferenceIsReportedAsUntrained() {
    Curriculum curriculum = Components.curriculum(Map.of("reference", Components.mlp()));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> curriculum.onTrainStart(control()));
    assertTrue(e.getMessage().contains("not built"), e.getMessage());
  }

  @Test
  void squaredErrorScoresRegressionTargets() {
    var output = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 2}, {0, 0}});
    var targets = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 0}, {3, 1}});
    assertArrayEquals(new double[] {2.0, 5.0}, Difficulty.perSampleLoss(output, targets, "auto"), 1e-12);
    var logits = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0, 0}, {0, 0}});
    var soft = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.5, 0.5}, {1, 0}});
    assertArrayEquals(new double[] {Math.log(2), Math.log(2)}, Difficulty.perSampleLoss(logits, soft, "cross_entropy"),
        1e-12);
  }

  @Test
  void samplesBeforeTrainingStartsIsAnError() {
    assertThrows(IllegalStateException.class, () -> Components.curriculum(options()).samples(0));
    assertNotEquals(null, Components.curriculum(options()).pacing());
  }

  /** -log softmax(f(x_i))[y_i] for every row, one forward pass per row. */
  @SuppressWarnings("try")
  private static double[] crossEntropies(Layer model, Dataset data) {
    double[] out = new double[data.size()];
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int i = 0; i < data.size(); i++) {
        Tensor x = data.features().slice(0, i, i + 1);
        out[i] = Losses.softmaxCrossEntropy(model.forward(x, ForwardContext.evaluation()),
            data.targets().slice(0, i, i + 1)).item();
      }
    }
    return out;
  }
}
