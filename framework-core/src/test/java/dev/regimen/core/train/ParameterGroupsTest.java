package dev.regimen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.ParameterOptions;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.AdamW;
import dev.regimen.core.optim.Sgd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameter groups: a learning rate and a weight decay per parameter, layer-wise learning-rate decay. */
class ParameterGroupsTest {
  private static final Dataset DATA = Synthetic.spirals(200, 3, 0.1, new Rng(4));

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 8)),
        LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 8)),
        LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  private static Parameter parameter(String name, boolean weight, double... values) {
    return new Parameter(name, Tensor.parameter(Nd4j.createFromArray(values)), weight);
  }

  private static void step(Optimizer optimizer, List<Parameter> parameters, double... grad) {
    for (Parameter p : parameters) {
      p.value().zeroGrad();
      p.value().mul(Tensor.of(Nd4j.createFromArray(grad))).sum().backward();
    }
    optimizer.step(parameters);
  }

  @Test
  void everyOptimizerTakesEachParametersLearningRateScaleAndDecay() {
    Parameter scaled = parameter("a.weight", true, 1, -2);
    Parameter decayed = parameter("b.weight", true, 1, -2);
    Parameter plain = parameter("c.weight", true, 1, -2);
    Optimizer sgd = new Sgd(0.1);
    sgd.setParameterOptions(Map.of("a.weight", new ParameterOptions(0.5, true, Double.NaN),
        "b.weight", new ParameterOptions(1, true, 0.5)));
    step(sgd, List.of(scaled, decayed, plain), 0.5, 1);
    assertArrayEquals(new double[] {1 - 0.05 * 0.5, -2 - 0.05}, scaled.value().array().toDoubleVector(), 1e-12);
    // SGD has no decay of its own: a parameter's rate is applied decoupled, p = (1 - 0.1 * 0.5) p - 0.1 g
    assertArrayEquals(new double[] {0.95 - 0.05, -1.9 - 0.1}, decayed.value().array().toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {0.95, -2.1}, plain.value().array().toDoubleVector(), 1e-12);

    // AdamW: a bias told to decay decays at the optimizer's rate; a weight told not to does not.
    Parameter bias = parameter("d.bias", false, 2, -4);
    Parameter weight = parameter("d.weight", true, 2, -4);
    Optimizer adamw = new AdamW(0.1, 0.5);
    adamw.setParameterOptions(Map.of("d.bias", new ParameterOptions(1, true, Double.NaN),
        "d.weight", new ParameterOptions(1, false, Double.NaN)));
    step(adamw, List.of(bias, weight), 0, 0); // a zero gradient: only the decay moves anything
    assertArrayEquals(new double[] {1.9, -3.8}, bias.value().array().toDoubleVector(), 1e-12);
    assertArrayEquals(new double[] {2, -4}, weight.value().array().toDoubleVector(), 0);
  }

  @Test
  void groupsMatchByPatternFirstMatchWinsAndLayerDecayScalesEachLayerBelowTheLast() {
    Layer model = Layers.build(model(), new long[] {2}, new Rng(1));
    ParameterGroups groups = new ParameterGroups(List.of(
        new ParameterGroups.Group("dense_3.*", 2, Double.NaN),
        new ParameterGroups.Group("*.bias", 1, 0)), 0.5, true);
    Map<String, ParameterOptions> options = groups.resolve(Layers.parameters(model));

    assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias", "dense_3.weight",
        "dense_3.bias"), List.copyOf(options.keySet()));
    assertEquals(0.25, options.get("dense_1.weight").lrScale());
    assertEquals(0.5, options.get("dense_2.bias").lrScale());
    assertEquals(2.0, options.get("dense_3.bias").lrScale(), "the first matching group: dense_3.*, not *.bias");
    assertTrue(options.get("dense_3.bias").decays(), "decay_biases: biases decay like weights");
    assertFalse(options.get("dense_1.bias").decays(), "*.bias gives weight_decay 0");
    assertTrue(options.get("dense_1.weight").decays());
    assertTrue(Double.isNaN(options.get("dense_1.weight").weightDecay()), "the optimizer's own rate");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParameterGroups(List.of(
        new ParameterGroups.Group("conv*", 1, Double.NaN)), 1, false).resolve(Layers.parameters(model)));
    assertTrue(e.getMessage().contains("'conv*' matches no trainable parameter") && e.getMessage().contains(
        "dense_1.weight"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ParameterGroups(List.of(), 1.5, false));
    assertTrue(e.getMessage().contains("layer_decay=1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ParameterGroups.Group("x", -1, Double.NaN));
    assertTrue(e.getMessage().contains("lr_scale=-1.0"), e.getMessage());
  }

  @Test
  void inTrainingAGroupWithLearningRateScaleZeroStaysWhereItStartedAndTheOthersTrain() {
    Layer model = model();
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new AdamW(1e-2, 0.1))
        .parameterGroups(new ParameterGroups(List.of(new ParameterGroups.Group("dense_1.*", 0, Double.NaN)), 1, false))
        .epochs(2)
        .batchSize(32)
        .seed(2)
        .progress(false)
        .build();
    Layers.build(model, new long[] {2}, new Rng(2));
    List<INDArray> before = Layers.parameters(model).stream().map(p -> p.value().array().dup()).toList();
    new Trainer(config).fit(model, DATA, null);
    List<Parameter> after = Layers.parameters(model);
    for (int i = 0; i < after.size(); i++) {
      if (after.get(i).name().startsWith("dense_1.")) {
        assertEquals(before.get(i), after.get(i).value().array(), after.get(i).name() + " did not move");
      } else {
        assertNotEquals(before.get(i), after.get(i).value().array(), after.get(i).name() + " trained");
      }
    }
  }

  @Test
  void anOptimizerWithoutParameterGroupsSaysSo() {
    Optimizer custom = new Optimizer() {
      @Override
      public void step(List<Parameter> parameters) {}

      @Override
      public double learningRate() {
        return 0.1;
      }

      @Override
      public void setLearningRate(double lr) {}

      @Override
      public long steps() {
        return 0;
      }

      @Override
      public Map<String, INDArray> state() {
        return Map.of();
      }

      @Override
      public void loadState(Map<String, INDArray> state, long steps) {}
    };
    TrainerConfig config = TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(custom)
        .parameterGroups(new ParameterGroups(List.of(), 0.8, false)).epochs(1).progress(false).build();
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> new Trainer(config).fit(model(), DATA, null));
    assertTrue(e.getMessage().contains("does not support parameter groups"), e.getMessage());
  }
}
