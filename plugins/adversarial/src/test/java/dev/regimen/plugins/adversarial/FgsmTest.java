package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.core.losses.Losses;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the {@code fgsm} augmenter does to a batch, with a gradient given by hand. */
class FgsmTest {
  private static final int N = 10;
  private static final int D = 4;

  /** A float64 batch of N rows of D features in [0.2, 0.8), labels 0..2, dataset rows 100..109. */
  private static Batch batch() {
    INDArray x = new Rng(11).uniform(DataType.DOUBLE, 0.2, 0.8, N, D);
    double[] labels = new double[N];
    int[] indices = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 3;
      indices[i] = 100 + i;
    }
    return new Batch(Tensor.of(x), Tensor.of(labels, N), indices);
  }

  /** A gradient of mixed signs with some exact zeros. */
  private static Tensor gradient(Batch b) {
    INDArray g = new Rng(12).normal(DataType.DOUBLE, 0, 1, b.inputs().shape());
    g.putScalar(0, 0, 0.0);
    g.putScalar(new long[] {b.size() - 1, D - 1}, 0.0);
    return Tensor.of(g);
  }

  @Test
  void movesEveryInputByExactlyEpsInTheDirectionOfTheGradientsSign() {
    Batch clean = batch();
    Tensor g = gradient(clean);
    Batch out = Components.fgsm(Map.of("eps", 0.1, "ratio", 1.0)).apply(clean, Components.context(0, 1, b -> g));
    double[] x = Components.values(clean.inputs().array());
    double[] adv = Components.values(out.inputs().array());
    double[] grad = Components.values(g.array());
    for (int i = 0; i < x.length; i++) {
      assertEquals(0.1 * Math.signum(grad[i]), adv[i] - x[i], 1e-15, "element " + i);
    }
    assertEquals(0.0, adv[0] - x[0], "a zero gradient does not move its input");
    assertSame(clean.targets(), out.targets(), "adversarial examples keep their true labels");
    assertArrayEquals(clean.indices(), out.indices());
  }

  @Test
  void raisesTheLossOfARealModel() {
    Layer model = Components.tanhMlp(6, 3);
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layers.build(model, new long[] {D}, new Rng(3));
    }
    Batch clean = batch();
    Augmenter.Context ctx = Components.context(0, 1, b -> {
      Tensor x = Tensor.parameter(b.inputs().array().dup());
      Losses.softmaxCrossEntropy(model.forward(x, ForwardContext.evaluation()), b.targets()).backward();
      return Tensor.of(x.grad());
    });
    Batch adversarial = Components.fgsm(Map.of("eps", 0.05, "ratio", 1.0)).apply(clean, ctx);
    assertTrue(loss(model, adversarial) > loss(model, clean) + 1e-3,
        loss(model, adversarial) + " > " + loss(model, clean));
  }

  @Test
  void clipsToTheGivenRangeAfterTheStep() {
    Batch clean = batch();
    Tensor g = gradient(clean);
    Batch out = Components.fgsm(Map.of("eps", 0.5, "ratio", 1.0, "clip_min", 0.0, "clip_max", 1.0))
        .apply(clean, Components.context(0, 1, b -> g));
    double[] x = Components.values(clean.inputs().array());
    double[] adv = Components.values(out.inputs().array());
    double[] grad = Components.values(g.array());
    for (int i = 0; i < x.length; i++) {
      double expected = Math.min(1, Math.max(0, x[i] + 0.5 * Math.signum(grad[i])));
      assertEquals(expected, adv[i], 1e-15, "element " + i);
    }
  }

  @Test
  void oneSidedClipBoundsOnlyThatSide() {
    Batch clean = batch();
    Tensor g = gradient(clean);
    Batch out = Components.fgsm(Map.of("eps", 0.5, "ratio", 1.0, "clip_max", 1.0))
        .apply(clean, Components.context(0, 1, b -> g));
    INDArray adv = out.inputs().array();
    assertTrue(adv.maxNumber().doubleValue() <= 1.0);
    assertTrue(adv.minNumber().doubleValue() < 0, "nothing holds the negative side");
  }

  @Test
  void replacesTheRatioOfTheBatchAndKeepsTheRest() {
    Batch clean = batch();
    Tensor g = gradient(clean);
    int[] attackedRows = new int[1];
    Batch out = Components.fgsm(Map.of("eps", 0.1, "ratio", 0.3)).apply(clean, Components.context(0, 7, b -> {
      attackedRows[0] = (int) b.size();
      return Tensor.of(gradient(clean).array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, b.size()),
          org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
    }));
    assertEquals(3, attackedRows[0], "the gradient is asked for the attacked rows only");
    assertEquals(N, out.size());
    assertSame(clean.targets(), out.targets());
    int changed = 0;
    for (int i = 0; i < N; i++) {
      double[] before = Components.values(clean.inputs().array().getRow(i));
      double[] after = Components.values(out.inputs().array().getRow(i));
      double moved = 0;
      for (int j = 0; j < D; j++) {
        moved = Math.max(moved, Math.abs(after[j] - before[j]));
      }
      if (moved > 0) {
        changed++;
        assertEquals(0.1, moved, 1e-12, "row " + i + " moved by eps");
      }
    }
    assertEquals(3, changed, "round(0.3 * 10) rows are adversarial");
  }

  @Test
  void theReplacedRowsDependOnTheBatchStream() {
    Batch clean = batch();
    Set<String> choices = new HashSet<>();
    for (long seed = 0; seed < 8; seed++) {
      Batch out = Components.fgsm(Map.of("eps", 0.1, "ratio", 0.5)).apply(clean, Components.context(0, seed,
          b -> Tensor.ones(DataType.DOUBLE, b.inputs().shape())));
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < N; i++) {
        rows.append(out.inputs().array().getDouble(i, 0) != clean.inputs().array().getDouble(i, 0) ? '1' : '0');
      }
      assertEquals(5, rows.chars().filter(c -> c == '1').count());
      choices.add(rows.toString());
    }
    assertTrue(choices.size() > 1, "the same rows every time: " + choices);
  }

  @Test
  void concatAppendsTheAdversarialVersionsWithTheirTargetsAndIndices() {
    Batch clean = batch();
    Batch out = Components.fgsm(Map.of("eps", 0.1, "ratio", 1.0, "concat", true))
        .apply(clean, Components.context(0, 1, b -> Tensor.ones(DataType.DOUBLE, b.inputs().shape())));
    assertEquals(2 * N, out.size());
    assertArrayEquals(Components.values(clean.inputs().array()),
        Components.values(out.inputs().array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N),
            org.nd4j.linalg.indexing.NDArrayIndex.all())), 0.0, "the clean rows come first, unchanged");
    assertArrayEquals(Components.values(clean.inputs().array().add(0.1)),
        Components.values(out.inputs().array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(N, 2 * N),
            org.nd4j.linalg.indexing.NDArrayIndex.all())), 1e-15);
    double[] labels = Components.values(clean.targets().array());
    double[] doubled = new double[2 * N];
    System.arraycopy(labels, 0, doubled, 0, N);
    System.arraycopy(labels, 0, doubled, N, N);
    assertArrayEquals(doubled, Components.values(out.targets().array()), 0.0);
    assertEquals(2 * N, out.indices().length);
    assertEquals(clean.indices()[3], out.indices()[N + 3]);
  }

  @Test
  void concatWithAPartialRatioAppendsOnlyTheChosenRows() {
    Batch out = Components.fgsm(Map.of("eps", 0.1, "ratio", 0.5, "concat", true))
        .apply(batch(), Components.context(0, 1, b -> Tensor.ones(DataType.DOUBLE, b.inputs().shape())));
    assertEquals(N + 5, out.size());
    assertEquals(N + 5, out.targets().size(0));
    assertEquals(N + 5, out.indices().length);
  }

  @Test
  void aZeroRatioLeavesTheBatchAlone() {
    Batch clean = batch();
    Batch out = Components.fgsm(Map.of("ratio", 0.0)).apply(clean, Components.context(0, 1, b -> {
      throw new AssertionError("no gradient is needed");
    }));
    assertSame(clean, out);
  }

  @ParameterizedTest(name = "epoch {0}: eps {1}")
  @CsvSource({"0, 0.0", "1, 0.025", "2, 0.05", "3, 0.075", "4, 0.1", "9, 0.1"})
  void epsRampsLinearlyOverTheWarmUp(int epoch, double eps) {
    assertEquals(eps, Components.fgsm(Map.of("eps", 0.1, "warmup_epochs", 4)).epsAt(epoch), 1e-12);
  }

  @ParameterizedTest(name = "epoch {0}: eps {1}")
  @CsvSource({"0, 0.3", "1, 0.2", "2, 0.1", "5, 0.1"})
  void theRampMayStartAnywhere(int epoch, double eps) {
    assertEquals(eps, Components.fgsm(Map.of("eps", 0.1, "eps_start", 0.3, "warmup_epochs", 2)).epsAt(epoch), 1e-12);
  }

  @Test
  void withoutWarmUpEpsHoldsFromTheStart() {
    assertEquals(0.2, Components.fgsm(Map.of("eps", 0.2)).epsAt(0));
  }

  @Test
  void theAttackUsesTheEpochsEps() {
    Batch clean = batch();
    Batch out = Components.fgsm(Map.of("eps", 0.1, "warmup_epochs", 4, "ratio", 1.0))
        .apply(clean, Components.context(2, 1, b -> Tensor.ones(DataType.DOUBLE, b.inputs().shape())));
    assertArrayEquals(Components.values(clean.inputs().array().add(0.05)), Components.values(out.inputs().array()),
        1e-15);
  }

  @Test
  void perturbLeavesItsArgumentsAlone() {
    INDArray x = Nd4j.createFromArray(new double[] {0.5, 0.5});
    INDArray g = Nd4j.createFromArray(new double[] {-2.0, 3.0});
    INDArray adv = Fgsm.perturb(x, g, 0.25, 0, 1);
    assertArrayEquals(new double[] {0.25, 0.75}, Components.values(adv), 0.0);
    assertArrayEquals(new double[] {0.5, 0.5}, Components.values(x), 0.0);
    assertArrayEquals(new double[] {-2.0, 3.0}, Components.values(g), 0.0);
  }

  @SuppressWarnings("try")
  private static double loss(Layer model, Batch b) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return Losses.softmaxCrossEntropy(model.forward(b.inputs(), ForwardContext.evaluation()), b.targets()).item();
    }
  }
}
