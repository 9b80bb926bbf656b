package dev.regimen.core.multitask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.GradientCheck;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.History;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.checkpoint.Checkpoint;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.MultiHead;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.metrics.MeanSquaredErrorMetric;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.core.train.Transfer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-head model with a weighted multi-task loss: its gradient, the weights' effect by hand, a
 * real two-task training on the digits with per-head metrics, and checkpoints.
 */
class MultiTaskTest {
  private static Dataset.Split digits;
  private static double validationInkVariance;

  /**
   * The digits with two tasks: column 0 holds the digit (10 classes), column 1 the z-scored mean
   * pixel intensity ("ink"), a regression target.
   */
  @BeforeAll
  static void twoTaskDigits() {
    Dataset raw = EmbeddedData.digits();
    INDArray x = raw.features().array().div(16.0);
    long n = x.size(0);
    INDArray ink = x.mean(1);
    ink = ink.sub(ink.meanNumber()).div(ink.stdNumber());
    INDArray targets = Nd4j.hstack(raw.targets().array().reshape(n, 1).castTo(x.dataType()),
        ink.reshape(n, 1).castTo(x.dataType()));
    digits = Dataset.regression(x, targets).split(0.2, new Rng(21));
    INDArray validationInk = digits.validation().targets().array().getColumn(1);
    validationInkVariance = validationInk.varNumber().doubleValue();
  }

  private static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  /** trunk: dense(hidden) + relu; heads: digit = dense(10), ink = dense(1). */
  private static MultiHead digitModel(int hidden) {
    Map<String, Layer> heads = new LinkedHashMap<>();
    heads.put("digit", dense(10));
    heads.put("ink", dense(1));
    return new MultiHead(Sequential.of(dense(hidden), LayerFactories.create("relu")), heads);
  }

  private static MultiTaskObjective digitObjective(MultiHead model) {
    return MultiTaskObjective.builder(model).classification("digit", 1.0).regression("ink", 1.0).build();
  }

  private static TrainerConfig.Builder config(MultiTaskObjective objective) {
    return TrainerConfig.builder()
        .objective(objective)
        .optimizer(new Adam(3e-3))
        .metric(objective.metric("digit", new Accuracy()))
        .metric(objective.metric("ink", new MeanSquaredErrorMetric()))
        .metric(HeadMetric.loss(objective, "digit"))
        .batchSize(32)
        .seed(8)
        .progress(false);
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void theMultiTaskLossHasTheGradientOfFiniteDifferences() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Map<String, Layer> heads = new LinkedHashMap<>();
      heads.put("cls", dense(3));
      heads.put("reg", Sequential.of(dense(2), LayerFactories.create("tanh")));
      MultiHead model = new MultiHead(Sequential.of(dense(5), LayerFactories.create("tanh")), heads);
      Layers.build(model, new long[] {4}, new Rng(1));
      MultiTaskObjective objective = MultiTaskObjective.builder(model).classification("cls", 0.7)
          .regression("reg", 1.3).build();
      Rng rng = new Rng(2);
      Tensor x = Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, 4, 4));
      // Targets [4, 3]: the class label, then two regression values.
      Tensor targets = Tensor.of(new double[] {0, 0.5, -0.2, 2, -1, 0.3, 1, 0.1, 0.9, 2, 0.4, -0.7}, 4, 3);
      Batch batch = new Batch(x, targets);
      List<Tensor> inputs = new ArrayList<>();
      inputs.add(x);
      Layers.parameters(model).forEach(p -> inputs.add(p.value()));

      GradientCheck.Result result = GradientCheck.defaults().check(
          in -> objective.loss(model.forward(in.get(0), ForwardContext.training(new Rng(3))), targets,
              ObjectiveContext.of(batch)),
          inputs, new Rng(4));

      assertTrue(result.passed(), result.worst() + " (relative error " + result.maxRelativeError() + ")");
      for (Parameter p : Layers.parameters(model)) {
        assertNotNull(p.value().grad(), p.name() + " gets a gradient");
      }
    }
  }

  /** cls: 2 logits, reg: 1 output, on one input feature; built so that the slices are known. */
  private static MultiHead twoLogitsAndOneValue() {
    Map<String, Layer> heads = new LinkedHashMap<>();
    heads.put("cls", dense(2));
    heads.put("reg", dense(1));
    MultiHead model = new MultiHead(dense(2), heads);
    Layers.build(model, new long[] {1}, new Rng(1));
    return model;
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void theWeightsScaleEachHeadsLossAndGradientAsComputedByHand() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      MultiHead model = twoLogitsAndOneValue();
      // One sample: logits (0, 0) for label 1, so CE = ln 2; prediction 2 for target 0, so MSE = 4.
      Tensor target = Tensor.of(new double[] {1, 0}, 1, 2);
      ObjectiveContext ctx = ObjectiveContext.of(new Batch(Tensor.zeros(DataType.DOUBLE, 1, 1), target));
      double ln2 = Math.log(2);

      assertEquals(ln2, loss(model, 1, 0, target, ctx, null), 1e-12);
      assertEquals(4.0, loss(model, 0, 1, target, ctx, null), 1e-12);
      Tensor output = Tensor.parameter(Nd4j.createFromArray(new double[][] {{0, 0, 2}}));
      assertEquals(2 * ln2 + 0.5 * 4, loss(model, 2, 0.5, target, ctx, output), 1e-12);

      // dL/dz = w_cls (softmax(z) - onehot) = 2 (0.5, -0.5); dL/dp = w_reg 2 (p - t) = 0.5 * 4.
      assertArrayEquals(new double[] {1, -1, 2}, output.grad().dup().data().asDouble(), 1e-12);
    }
  }

  /** The loss of fixed outputs (0, 0 | 2) with the given weights; backward into {@code output} if given. */
  private static double loss(MultiHead model, double wCls, double wReg, Tensor target, ObjectiveContext ctx,
      Tensor output) {
    MultiTaskObjective objective = MultiTaskObjective.builder(model).classification("cls", wCls)
        .regression("reg", wReg).build();
    Tensor y = output != null ? output : Tensor.of(Nd4j.createFromArray(new double[][] {{0, 0, 2}}));
    Tensor loss = objective.loss(y, target, ctx);
    if (output != null) {
      loss.backward();
    }
    return loss.item();
  }

  @Test
  void targetColumnsFollowTheHeadOrderAndMismatchesListTheLayout() {
    MultiHead model = twoLogitsAndOneValue();
    // Added in the other order: the layout still follows the model's heads.
    MultiTaskObjective objective = MultiTaskObjective.builder(model).regression("reg", 1).classification("cls", 1)
        .build();
    assertEquals(List.of("cls", "reg"), objective.heads());
    assertEquals(Map.of("cls", new MultiHead.Slice(0, 1), "reg", new MultiHead.Slice(1, 2)), objective.targetSlices());
    assertEquals(2, objective.targetColumns());

    Tensor output = Tensor.zeros(DataType.FLOAT, 3, 3);
    Tensor wrong = Tensor.zeros(DataType.FLOAT, 3, 3);
    ShapeException e = assertThrows(ShapeException.class,
        () -> objective.loss(output, wrong, ObjectiveContext.of(new Batch(output, wrong))));
    assertTrue(e.getMessage().contains("[3, 3]") && e.getMessage().contains("cls [0, 1) (1 label column), "
        + "reg [1, 2) (regression)"), e.getMessage());
  }

  @Test
  void everyHeadNeedsATaskAndUnknownHeadsAreListed() {
    MultiHead model = twoLogitsAndOneValue();
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> MultiTaskObjective.builder(model).classification("cls", 1).build());
    assertTrue(missing.getMessage().contains("heads [reg] have no task"), missing.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> MultiTaskObjective.builder(model).classification("digits", 1));
    assertTrue(unknown.getMessage().contains("no head 'digits'. Heads: cls, reg"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MultiTaskObjective.builder(model).classification("cls", -1));
    IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
        () -> digitObjective(digitModel(4)).metric("colour", new Accuracy()));
    assertTrue(metric.getMessage().contains("Heads: digit, ink"), metric.getMessage());
  }

  @Test
  void bothHeadsLearnTheirTasksThroughOneTrunkWithPerHeadMetricsInTheHistory() {
    MultiHead model = digitModel(64);
    MultiTaskObjective objective = digitObjective(model);

    TrainingResult result = new Trainer(config(objective).epochs(8).build())
        .fit(model, digits.train(), digits.validation());

    History history = result.history();
    assertTrue(history.epoch(0).keySet().containsAll(List.of("loss", "digit_accuracy", "ink_mse", "digit_loss",
        "val_loss", "val_digit_accuracy", "val_ink_mse", "val_digit_loss")), history.epoch(0).keySet().toString());
    double accuracy = history.last("val_digit_accuracy").getAsDouble();
    double mse = history.last("val_ink_mse").getAsDouble();
    assertTrue(accuracy > 0.85, "digit accuracy " + accuracy + " (chance is 0.1)");
    assertTrue(mse < 0.5 * validationInkVariance, "ink MSE " + mse + " against a variance of " + validationInkVariance);
    // The total loss is the sum of the head losses (both weights are 1): digit's alone is below it.
    assertTrue(history.last("val_digit_loss").getAsDouble() < history.last("val_loss").getAsDouble());
  }

  @Test
  void checkpointsKeepStableHeadNamesAndAResumedRunEndsBitIdentical(@TempDir Path dir) {
    MultiHead uninterrupted = digitModel(16);
    new Trainer(config(digitObjective(uninterrupted)).epochs(3).build()).fit(uninterrupted, digits.train(), null);

    MultiHead first = digitModel(16);
    new Trainer(config(digitObjective(first)).epochs(2).checkpointDir(dir).build()).fit(first, digits.train(), null);
    Path last = dir.resolve(Trainer.LAST);
    Checkpoint checkpoint = CheckpointStore.load(last);
    assertEquals(Set.of("dense_1.weight", "dense_1.bias", "head_digit.weight", "head_digit.bias", "head_ink.weight",
        "head_ink.bias"), checkpoint.modelArrays().keySet());
    assertEquals("multi_head", checkpoint.state().modelConfig().get("type"));

    // A fresh process knows only the checkpoint: it rebuilds the model from the saved config and resumes.
    MultiHead rebuilt = (MultiHead) LayerFactories.fromConfig(Transfer.modelConfig(last));
    assertEquals(List.of("digit", "ink"), rebuilt.headNames());
    new Trainer(config(digitObjective(rebuilt)).epochs(3).checkpointDir(dir).resumeFrom(last).build())
        .fit(rebuilt, digits.train(), null);

    List<Parameter> expected = Layers.parameters(uninterrupted);
    List<Parameter> actual = Layers.parameters(rebuilt);
    assertEquals(expected.stream().map(Parameter::name).toList(), actual.stream().map(Parameter::name).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).value().array().ravel().toFloatVector(),
          actual.get(i).value().array().ravel().toFloatVector(), 0.0f, expected.get(i).name());
    }
  }
}
