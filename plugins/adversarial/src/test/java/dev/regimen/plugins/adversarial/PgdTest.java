package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.History;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.Losses;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The PGD attack and its training (Madry et al. 2018): it stays in the eps-ball and the valid range,
 * one step from x is FGSM, it finds at least as many errors as FGSM at the same eps on the same
 * model, and training on its examples makes a model more robust to it.
 *
 * <p>Measured when written (seed 1, 6 epochs, eps 0.1): plain training ends at clean 0.947, FGSM 0.585,
 * PGD 0.529 (PGD below FGSM at every epoch); PGD training (5 steps) at clean 0.930, PGD 0.741.
 */
class PgdTest {
  private static final int N = 12;
  private static final int D = 4;
  private static final Map<String, Object> CLIP = Map.of("clip_min", 0.0, "clip_max", 1.0);

  private static Batch batch() {
    INDArray x = new Rng(21).uniform(DataType.DOUBLE, 0.0, 1.0, N, D);
    double[] labels = new double[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 3;
    }
    return new Batch(Tensor.of(x), Tensor.of(labels, N));
  }

  /** A float64 tanh MLP and the context whose input gradient is its loss's. */
  private static Augmenter.Context modelContext(Layer model, long seed) {
    return Components.context(0, seed, b -> {
      Tensor x = Tensor.parameter(b.inputs().array().dup());
      Losses.softmaxCrossEntropy(model.forward(x, ForwardContext.evaluation()), b.targets()).backward();
      return Tensor.of(x.grad());
    });
  }

  private static Layer model() {
    Layer model = Components.tanhMlp(8, 3);
    Layers.build(model, new long[] {D}, new Rng(3));
    return model;
  }

  private static double loss(Layer model, Batch b) {
    return Losses.softmaxCrossEntropy(model.forward(b.inputs(), ForwardContext.evaluation()), b.targets()).item();
  }

  private static Map<String, Object> options(Object... pairs) {
    Map<String, Object> out = new HashMap<>(CLIP);
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  @Test
  @SuppressWarnings("try")
  void oneStepFromXWithStepSizeEpsIsFgsm() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer model = model();
      Batch clean = batch();
      Batch pgd = new PgdTraining.Factory().create(options("eps", 0.2, "steps", 1, "step_size", 0.2,
          "random_start", false)).apply(clean, modelContext(model, 1));
      Batch fgsm = Components.fgsm(options("eps", 0.2, "ratio", 1.0)).apply(clean, modelContext(model, 1));
      assertArrayEquals(Components.values(fgsm.inputs().array()), Components.values(pgd.inputs().array()), 0);
    }
  }

  @Test
  @SuppressWarnings("try")
  void staysInTheEpsBallAndTheValidRangeAndRaisesTheLossMoreThanFgsm() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer model = model();
      Batch clean = batch();
      double eps = 0.3;
      Batch pgd = new PgdTraining.Factory().create(options("eps", eps, "steps", 20)).apply(clean,
          modelContext(model, 2));
      INDArray x = clean.inputs().array();
      INDArray adv = pgd.inputs().array();
      assertTrue(adv.sub(x).amaxNumber().doubleValue() <= eps + 1e-12, "inside the eps-ball");
      assertTrue(adv.minNumber().doubleValue() >= 0 && adv.maxNumber().doubleValue() <= 1, "inside [0, 1]");
      Batch fgsm = Components.fgsm(options("eps", eps, "ratio", 1.0)).apply(clean, modelContext(model, 2));
      double l0 = loss(model, clean);
      double lf = loss(model, fgsm);
      double lp = loss(model, pgd);
      assertTrue(lp >= lf && lf > l0, "loss clean " + l0 + " < FGSM " + lf + " <= PGD " + lp);
      Batch again = new PgdTraining.Factory().create(options("eps", eps, "steps", 20)).apply(clean,
          modelContext(model, 2));
      assertEquals(adv, again.inputs().array(), "the random start repeats with the batch's seed");
    }
  }

  /** Trains an MLP on the digits in [0, 1], recording accuracy under FGSM and PGD at eps 0.1. */
  private static History train(Dataset.Split data, Augmenter augmenter, int epochs) {
    TrainerConfig.Builder config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy()).optimizer(new Adam(3e-3)).metric(new Accuracy())
        .scheduler(Components.robustAccuracy(options("eps", 0.1, "metric", "fgsm_accuracy")))
        .scheduler(Components.robustAccuracy(options("eps", 0.1, "attack", "pgd", "metric", "pgd_accuracy")))
        .epochs(epochs).batchSize(32).seed(1).progress(false);
    if (augmenter != null) {
      config.augmenter(augmenter);
    }
    return new Trainer(config.build()).fit(Components.reluMlp(64), data.train(), data.validation()).history();
  }

  @Test
  void pgdAccuracyIsAtMostFgsmAccuracyAtTheSameEpsAndPgdTrainingRaisesIt() {
    Dataset.Split data = Components.digits01();
    int epochs = 6;
    History plain = train(data, null, epochs);
    StringBuilder report = new StringBuilder();
    for (int e = 0; e < epochs; e++) {
      double clean = plain.epoch(e).get("val_accuracy");
      double fgsm = plain.epoch(e).get("val_fgsm_accuracy");
      double pgd = plain.epoch(e).get("val_pgd_accuracy");
      report.append(String.format(java.util.Locale.ROOT, "epoch %d: clean %.3f fgsm %.3f pgd %.3f%n", e, clean, fgsm,
          pgd));
      assertTrue(pgd <= fgsm && fgsm < clean, "epoch " + e + ": clean " + clean + " > FGSM " + fgsm + " >= PGD " + pgd);
    }
    History robust = train(data, new PgdTraining.Factory().create(options("eps", 0.1, "steps", 5)), epochs);
    double before = plain.last("val_pgd_accuracy").orElseThrow();
    double after = robust.last("val_pgd_accuracy").orElseThrow();
    report.append(String.format(java.util.Locale.ROOT, "PGD accuracy: plain %.3f, PGD-trained %.3f (clean %.3f)%n",
        before, after, robust.last("val_accuracy").orElseThrow()));
    System.out.print(report);
    assertTrue(after > before + 0.1, "PGD training raises PGD accuracy:\n" + report);
  }
}
