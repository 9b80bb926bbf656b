package dev.regimen.plugins.distillation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.Losses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The distillation loss: its value and gradient by hand, the T^2 scaling, the alpha = 0 limit, the teacher's role. */
class KnowledgeDistillationTest {
  private static final double[] STUDENT = {1, 2, 0.5, 0, -1, 3};
  private static final double[] TEACHER = {2, 1, 0, 0.5, 0.5, 2};
  private static final double[] LABELS = {1, 2};

  private static Tensor student() {
    return Tensor.parameter(Tensor.of(STUDENT, 2, 3).array());
  }

  private static Tensor teacher() {
    return Tensor.of(TEACHER, 2, 3);
  }

  private static Tensor labels() {
    return Tensor.of(LABELS, 2);
  }

  @Test
  void theLossOfATinyExampleIsTheOneComputedByHand() {
    // Python, math module only: KL(p || q) at T = 2 averaged over the two rows = 0.11582540285086915,
    // CE(labels, s) = 0.26512634393268697; 0.7 * 4 * KL + 0.3 * CE:
    Tensor loss = KnowledgeDistillation.loss(student(), teacher(), labels(), 2, 0.7);
    assertEquals(0.4038490311622397, loss.item(), 1e-12);
    assertEquals(4 * 0.11582540285086915, KnowledgeDistillation.softLoss(student(), teacher(), 2).item(), 1e-12);
  }

  @Test
  void theLossMatchesSoftmaxesWrittenOutForAnyTemperatureAndAlpha() {
    for (double t : new double[] {0.5, 1, 3, 10}) {
      for (double alpha : new double[] {0, 0.25, 0.9, 1}) {
        double expected = alpha * t * t * byHandKl(t) + (1 - alpha) * byHandCrossEntropy();
        assertEquals(expected, KnowledgeDistillation.loss(student(), teacher(), labels(), t, alpha).item(), 1e-12,
            "T=" + t + ", alpha=" + alpha);
      }
    }
  }

  @Test
  void theGradientIsAlphaTimesTTimesQMinusPPlusTheLabelTermOverN() {
    double t = 2;
    double alpha = 0.7;
    Tensor s = student();
    KnowledgeDistillation.loss(s, teacher(), labels(), t, alpha).backward();
    for (int i = 0; i < 2; i++) {
      double[] q = softmax(row(STUDENT, i), t);
      double[] p = softmax(row(TEACHER, i), t);
      double[] q1 = softmax(row(STUDENT, i), 1);
      for (int k = 0; k < 3; k++) {
        double hard = q1[k] - (k == LABELS[i] ? 1 : 0);
        double expected = (alpha * t * (q[k] - p[k]) + (1 - alpha) * hard) / 2;
        assertEquals(expected, s.grad().getDouble(i, k), 1e-12, "row " + i + ", class " + k);
      }
    }
  }

  @Test
  void theGradientPassesAFloat64FiniteDifferenceCheck() {
    for (double alpha : new double[] {0, 0.5, 1}) {
      GradientCheck.Result r = GradientCheck.defaults().check(
          in -> KnowledgeDistillation.loss(in.get(0), teacher(), labels(), 3, alpha), List.of(student()), new Rng(1));
      assertTrue(r.passed(), "alpha=" + alpha + ": " + r);
    }
  }

  @Test
  void theTSquaredFactorKeepsTheSoftGradientAtTheSameScaleForHighTemperatures() {
    // Hinton et al. 2015, section 2.1: with zero-mean logits and T much larger than them,
    // d/ds [T^2 KL] tends to (s - t) / K per row (here also / N), whatever T is.
    double[] s = {1, -2, 0.5, 0.5, 0, 0, 3, -3};
    double[] t = {2, 0, -1, -1, 1, 1, -1, -1};
    int k = 4;
    int n = 2;
    for (double temperature : new double[] {100, 1000}) {
      Tensor logits = Tensor.parameter(Tensor.of(s, n, k).array());
      KnowledgeDistillation.softLoss(logits, Tensor.of(t, n, k), temperature).backward();
      for (int i = 0; i < s.length; i++) {
        double limit = (s[i] - t[i]) / (k * n);
        assertEquals(limit, logits.grad().getDouble(i / k, i % k), 0.05 * Math.abs(limit) + 1e-4,
            "T=" + temperature + ", element " + i);
      }
    }
    // Without the factor the gradient would shrink as 1 / T^2: a hundredfold from T = 10 to T = 100.
    double at10 = softGradientNorm(s, t, 10);
    double at100 = softGradientNorm(s, t, 100);
    assertEquals(1.0, at100 / at10, 0.15, "scaled gradient norms " + at10 + " and " + at100);
  }

  @Test
  void alphaZeroIsPlainCrossEntropyAndNeverRunsTheTeacher() {
    Tensor s = student();
    Tensor kd = KnowledgeDistillation.loss(s, null, labels(), 4, 0);
    kd.backward();
    INDArray kdGrad = s.grad().dup();
    Tensor s2 = student();
    Tensor ce = Losses.softmaxCrossEntropy(s2, labels());
    ce.backward();
    assertEquals(ce.item(), kd.item(), 0.0);
    assertEquals(s2.grad(), kdGrad);

    // A teacher that was never trained would fail if run.
    Layer untrained = LayerFactories.create("dense", Map.of("units", 3));
    KnowledgeDistillation objective = new KnowledgeDistillation(Teacher.of(untrained), 4, 0);
    Batch batch = new Batch(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), labels());
    assertEquals(ce.item(), objective.loss(student(), labels(), ObjectiveContext.of(batch)).item(), 0.0);
  }

  @Test
  void theObjectiveRunsTheTeacherOnTheBatchInputsInEvaluationModeWithoutGradient() {
    Layer teacherModel;
    Tensor x = Tensor.of(new double[] {0.1, -0.4, 0.3, 0.7, 0.2, -0.5, 0.9, 0.0}, 2, 4);
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      teacherModel = Sequential.of(LayerFactories.create("dense", Map.of("units", 5)), LayerFactories.create("tanh"),
          LayerFactories.create("dense", Map.of("units", 3)));
      Layers.build(teacherModel, new long[] {4}, new Rng(3));
    }
    Tensor teacherLogits = teacherModel.forward(x, dev.regimen.api.nn.ForwardContext.evaluation()).detach();
    KnowledgeDistillation objective = new KnowledgeDistillation(Teacher.of(teacherModel), 2.5, 0.6);

    Tensor s = student();
    Tensor loss = objective.loss(s, labels(), ObjectiveContext.of(new Batch(x, labels())));
    loss.backward();
    assertEquals(KnowledgeDistillation.loss(student(), teacherLogits, labels(), 2.5, 0.6).item(), loss.item(), 1e-12);
    for (Parameter p : Layers.parameters(teacherModel)) {
      assertNull(p.value().grad(), p.name() + " gets no gradient");
    }
    assertTrue(s.grad() != null);
  }

  @Test
  void logitsOfDifferentShapesAreRefusedNamingBoth() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> KnowledgeDistillation.softLoss(student(), Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), 4));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
  }

  @Test
  void temperatureAndAlphaAreChecked() {
    Teacher teacher = Teacher.of(LayerFactories.create("dense", Map.of("units", 3)));
    var e = assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillation(teacher, 0, 0.5));
    assertTrue(e.getMessage().contains("Received: temperature=0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new KnowledgeDistillation(teacher, 2, 1.5));
    assertTrue(e.getMessage().contains("Received: alpha=1.5"), e.getMessage());
  }

  private static double softGradientNorm(double[] s, double[] t, double temperature) {
    Tensor logits = Tensor.parameter(Tensor.of(s, 2, 4).array());
    KnowledgeDistillation.softLoss(logits, Tensor.of(t, 2, 4), temperature).backward();
    return logits.grad().norm2Number().doubleValue();
  }

  private static double byHandKl(double t) {
    double sum = 0;
    for (int i = 0; i < 2; i++) {
      double[] p = softmax(row(TEACHER, i), t);
      double[] q = softmax(row(STUDENT, i), t);
      for (int k = 0; k < 3; k++) {
        sum += p[k] * Math.log(p[k] / q[k]);
      }
    }
    return sum / 2;
  }

  private static double byHandCrossEntropy() {
    double sum = 0;
    for (int i = 0; i < 2; i++) {
      sum -= Math.log(softmax(row(STUDENT, i), 1)[(int) LABELS[i]]);
    }
    return sum / 2;
  }

  private static double[] row(double[] values, int i) {
    return new double[] {values[3 * i], values[3 * i + 1], values[3 * i + 2]};
  }

  private static double[] softmax(double[] z, double t) {
    double[] e = new double[z.length];
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      e[k] = Math.exp(z[k] / t);
      sum += e[k];
    }
    for (int k = 0; k < z.length; k++) {
      e[k] /= sum;
    }
    return e;
  }
}
