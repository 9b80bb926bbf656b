package dev.regimen.plugins.optimization;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plugin's factories by name, and small helpers shared by its tests. */
final class Fixtures {
  private Fixtures() {}

  /** What the trainer hands a regularizer hook. */
  static final Regularizer.Context CONTEXT = new Regularizer.Context() {
    @Override
    public Rng rng() {
      return new Rng(1);
    }

    @Override
    public double learningRate() {
      return 0.1;
    }

    @Override
    public int epoch() {
      return 0;
    }
  };

  /** Every factory of the plugin. */
  static List<ComponentFactory<?>> factories() {
    return List.of(new GradClip.Factory(), new Ema.Factory(), new Lookahead.Factory(), new Sam.Factory(), new Swa.Factory());
  }

  static ComponentFactory<?> factory(String name) {
    return factories().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no factory " + name));
  }

  static Regularizer regularizer(String name, Map<String, ?> options) {
    return (Regularizer) factory(name).create(options);
  }

  static Scheduler scheduler(String name, Map<String, ?> options) {
    return (Scheduler) factory(name).create(options);
  }

  /** Making the component with these options fails, and the message holds the fragment. */
  static void assertRejected(String name, Map<String, ?> options, String fragment) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> factory(name).create(options));
    assertTrue(e instanceof ComponentException || e instanceof IllegalArgumentException, e.toString());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  /** A float64 parameter with these values and exactly this gradient (none if no gradient is given). */
  static Parameter parameter(String name, boolean weight, double[] values, double... grad) {
    if (grad.length == 0) {
      return new Parameter(name, Tensor.parameter(Nd4j.createFromArray(values)), weight);
    }
    return withGradient(name, weight, Nd4j.createFromArray(values), Nd4j.createFromArray(grad));
  }

  static Parameter parameter(String name, boolean weight, double[][] values, double[][] grad) {
    return withGradient(name, weight, Nd4j.createFromArray(values), Nd4j.createFromArray(grad));
  }

  static Parameter parameter(String name, boolean weight, double[][][][] values, double[][][][] grad) {
    return withGradient(name, weight, Nd4j.createFromArray(values), Nd4j.createFromArray(grad));
  }

  static Optimizer optimizer(String name, Map<String, ?> options) {
    return (Optimizer) factory(name).create(options);
  }

  /** Replaces the parameter's gradient by exactly this one, through backward as in training. */
  static void setGrad(Parameter p, double... grad) {
    Tensor value = p.value();
    value.zeroGrad();
    value.mul(Tensor.of(Nd4j.createFromArray(grad).castTo(value.dataType()).reshape(value.shape()))).sum().backward();
  }

  /** Gives the parameter its gradient through backward, as in training: d/dp sum(p * g) = g. */
  private static Parameter withGradient(String name, boolean weight, INDArray values, INDArray grad) {
    Tensor p = Tensor.parameter(values);
    p.mul(Tensor.of(grad)).sum().backward();
    return new Parameter(name, p, weight);
  }

  /** The digits data scaled to [0, 1]. */
  static Dataset digits() {
    Dataset d = EmbeddedData.digits();
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  /** The digits split 75 / 25 into training and validation data with a fixed seed. */
  static Dataset.Split digitsSplit() {
    return digits().split(0.25, new Rng(11));
  }

  /** A small MLP for the digits. */
  static Layer mlp() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }
}
