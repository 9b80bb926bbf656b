package dev.regimen.plugins.regularization;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.MeanSquaredError;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The plugin's factories by name, and small helpers shared by its tests. */
final class Regularizers {
  private Regularizers() {}

  /** Every factory of the plugin, in the order of the design's table. */
  static List<ComponentFactory<Regularizer>> factories() {
    return List.of(new L1.Factory(), new L2.Factory(), new WeightDecay.Factory(), new WeightNoise.Factory(),
        new MaxNorm.Factory());
  }

  static Regularizer create(String name, Map<String, ?> options) {
    return factories().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no factory " + name)).create(options);
  }

  static Regularizer create(String name, String option, double value) {
    return create(name, Map.of(option, value));
  }

  /** What the trainer hands a hook, with a fixed stream and learning rate. */
  record Ctx(Rng rng, double learningRate, int epoch) implements Regularizer.Context {
    Ctx(long seed, double learningRate) {
      this(new Rng(seed), learningRate, 0);
    }
  }

  /** One dense unit, y = x w (+ b): a linear regression. */
  static Layer linear(boolean bias) {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", 1, "use_bias", bias)));
  }

  /** A built model, its weights drawn from the given seed. */
  static Layer built(Layer model, Dataset data, long seed) {
    return Layers.build(model, data.sampleShape(), new Rng(seed));
  }

  /** Fits a model by mean squared error with seed 1 and no progress bar. */
  static TrainingResult fit(Layer model, Dataset data, Optimizer optimizer, int epochs, int batchSize,
      List<Regularizer> regularizers, String... frozen) {
    TrainerConfig.Builder config = TrainerConfig.builder().objective(new MeanSquaredError()).optimizer(optimizer)
        .epochs(epochs).batchSize(batchSize).seed(1).progress(false).freeze(frozen);
    regularizers.forEach(config::regularizer);
    return new Trainer(config.build()).fit(model, data, null);
  }

  /** A copy of a model's parameter, by full name. */
  static INDArray value(Layer model, String name) {
    return parameter(model, name).value().array().dup();
  }

  static Parameter parameter(Layer model, String name) {
    return Layers.parameters(model).stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
  }

  /** The elements as float64, in row-major order. */
  static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  /** max |a - b| / max |b|: agreement relative to the size of the values. */
  static double relativeDifference(INDArray a, INDArray b) {
    double scale = Math.max(b.amaxNumber().doubleValue(), Double.MIN_NORMAL);
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
  }
}
