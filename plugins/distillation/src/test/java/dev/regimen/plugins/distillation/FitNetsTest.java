package dev.regimen.plugins.distillation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The hint loss: its value by hand, its gradient through the regressor and the student's tap, its wiring. */
class FitNetsTest {
  private static final Tensor X = Tensor.of(new double[] {0.1, -0.4, 0.3, 0.7, 0.2, -0.5, 0.9, 0.0, -0.3, 0.6, 0.4,
      -0.8}, 3, 4);

  @Test
  void theHintLossIsHalfTheSquaredDistanceSummedPerSampleAndAveragedOverTheBatch() {
    Tensor u = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor r = Tensor.of(new double[] {0, 2, 1, 1}, 2, 2);
    // differences (1, 0) and (2, 3): 1/2 (1 + 0 + 4 + 9) / 2 samples
    assertEquals(3.5, FitNets.hintLoss(u, r).item(), 1e-12);
  }

  @Test
  void theLossThroughAGivenDenseRegressorIsTheOneComputedByHand() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      HintRegressor regressor = HintRegressor.infer("g", new long[] {2}, "h", new long[] {3}, 1, false, new Rng(1));
      regressor.parameters().get("regressor.weight").array().assign(Tensor.of(new double[] {1, 0, 2, -1, 1, 0}, 2, 3)
          .array());
      regressor.parameters().get("regressor.bias").array().assign(Tensor.of(new double[] {0.5, 0, -0.5}, 3).array());
      Tensor v = Tensor.of(new double[] {1, 2, 0, -1}, 2, 2);
      Tensor u = Tensor.of(new double[] {0, 2, 1, 1, 0, 0}, 2, 3);
      // r(v_1) = (1, 0, 2) W-rows: 1*(1,0,2) + 2*(-1,1,0) + b = (-0.5, 2, 1.5); u_1 - r = (0.5, 0, -0.5)
      // r(v_2) = 0*(1,0,2) - 1*(-1,1,0) + b = (1.5, -1, -0.5);                u_2 - r = (-0.5, 1, 0.5)
      // 1/2 (0.25 + 0 + 0.25 + 0.25 + 1 + 0.25) / 2 = 0.5
      assertEquals(0.5, FitNets.hintLoss(u, regressor.apply(v)).item(), 1e-12);
    }
  }

  @Test
  void theGradientThroughTheRegressorAndTheStudentTapPassesAFloat64Check() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      FitNets fitnets = new FitNets(Teacher.of(teacher()), "tanh_1", "relu_1").bind(student(), new long[] {4});
      Tensor v = Tensor.parameter(new Rng(5).normal(DataType.DOUBLE, 0, 1, 3, 3));
      Map<String, Tensor> regressor = fitnets.parameters();
      List<Tensor> inputs = List.of(v, regressor.get("regressor.weight"), regressor.get("regressor.bias"));
      Batch batch = new Batch(X, Tensor.of(new double[] {0, 1, 2}, 3));
      GradientCheck.Result r = GradientCheck.defaults().check(
          in -> fitnets.loss(null, batch.targets(), Contexts.training(batch, Map.of("relu_1", in.get(0)))), inputs,
          new Rng(2));
      assertTrue(r.passed(), r.toString());
    }
  }

  @Test
  void theGradientThroughAThreeByThreeConvolutionalRegressorPassesAFloat64Check() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      HintRegressor regressor = HintRegressor.infer("g", new long[] {2, 4, 3}, "h", new long[] {3, 4, 3}, 3, false,
          new Rng(1));
      Tensor v = Tensor.parameter(new Rng(5).normal(DataType.DOUBLE, 0, 1, 2, 2, 4, 3));
      Tensor u = Tensor.of(new Rng(6).normal(DataType.DOUBLE, 0, 1, 2, 3, 4, 3));
      GradientCheck.Result r = GradientCheck.defaults().check(
          in -> FitNets.hintLoss(u, regressor.apply(in.get(0))),
          List.of(v, regressor.parameters().get("regressor.weight"), regressor.parameters().get("regressor.bias")),
          new Rng(2));
      assertTrue(r.passed(), r.toString());
    }
  }

  @Test
  void theRegressorIsTheObjectivesParametersAndTheGuidedLayerItsRequiredTap() {
    FitNets fitnets = new FitNets(Teacher.of(builtTeacher()), "relu_1", "relu_1");
    assertEquals(Set.of("relu_1"), fitnets.requiredTaps());
    IllegalStateException e = assertThrows(IllegalStateException.class, fitnets::parameters);
    assertTrue(e.getMessage().contains("bind(student, inputShape)"), e.getMessage());

    fitnets.bind(student(), new long[] {4});
    assertEquals(List.of("regressor.weight", "regressor.bias"), List.copyOf(fitnets.parameters().keySet()));
    assertEquals("[3, 5]", java.util.Arrays.toString(fitnets.parameters().get("regressor.weight").shape()),
        "student relu_1 [3] -> teacher relu_1 [5]");
  }

  @Test
  void anUnknownTapIsRefusedListingTheTapsThereAre() {
    FitNets fitnets = new FitNets(Teacher.of(builtTeacher()), "relu_9", "relu_1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fitnets.bind(student(), new long[] {4}));
    assertTrue(e.getMessage().contains("'relu_9'") && e.getMessage().contains("dense_1, relu_1, dense_2"),
        e.getMessage());

    FitNets wrongStudentTap = new FitNets(Teacher.of(builtTeacher()), "relu_1", "hidden");
    e = assertThrows(IllegalArgumentException.class, () -> wrongStudentTap.bind(student(), new long[] {4}));
    assertTrue(e.getMessage().contains("student") && e.getMessage().contains("'hidden'"), e.getMessage());
  }

  @Test
  void outsideTrainingTheGuidedValueComesFromTheBoundStudentInEvaluationMode() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer student = student();
      FitNets fitnets = new FitNets(Teacher.of(teacher()), "tanh_1", "relu_1").bind(student, new long[] {4});
      ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
      Tensor output = student.forward(X, ctx);
      Batch batch = new Batch(X, Tensor.of(new double[] {0, 1, 2}, 3));
      double recorded = fitnets.loss(output, batch.targets(), Contexts.training(batch, ctx.taps())).item();
      double recomputed = fitnets.loss(output, batch.targets(), ObjectiveContext.of(batch)).item();
      assertEquals(recorded, recomputed, 1e-12);
      assertTrue(recorded > 0);
    }
  }

  @Test
  void theTeacherGetsNoGradientFromTheHintLoss() {
    Layer teacher = builtTeacher();
    FitNets fitnets = new FitNets(Teacher.of(teacher), "relu_1", "relu_1").bind(student(), new long[] {4});
    Tensor x = X.cast(DataType.FLOAT);
    Batch batch = new Batch(x, Tensor.of(new float[] {0, 1, 2}, 3));
    Tensor v = Tensor.parameter(Tensor.zeros(3, 3).array());
    fitnets.loss(null, batch.targets(), Contexts.training(batch, Map.of("relu_1", v))).backward();
    for (Parameter p : Layers.parameters(teacher)) {
      assertNull(p.value().grad(), p.name());
    }
    assertTrue(v.grad() != null && fitnets.parameters().get("regressor.weight").grad() != null);
  }

  /** dense(3) relu dense(2), unbuilt. */
  private static Layer student() {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", 3)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 2)));
  }

  /** dense(6) tanh dense(3), built in the current default type. */
  private static Layer teacher() {
    Layer teacher = Sequential.of(LayerFactories.create("dense", Map.of("units", 6)), LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
    Layers.build(teacher, new long[] {4}, new Rng(3));
    return teacher;
  }

  /** dense(5) relu dense(3), built in float32. */
  private static Layer builtTeacher() {
    Layer teacher = Sequential.of(LayerFactories.create("dense", Map.of("units", 5)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 3)));
    Layers.build(teacher, new long[] {4}, new Rng(3));
    return teacher;
  }
}
