package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The plugin's factories, and the models, data and fakes its tests share. */
final class Components {
  private Components() {}

  static List<ComponentFactory<?>> factories() {
    return List.of(new FgsmTraining.Factory(), new RobustAccuracy.Factory(), new PgdTraining.Factory());
  }

  static FgsmTraining fgsm(Map<String, ?> options) {
    return (FgsmTraining) new FgsmTraining.Factory().create(options);
  }

  static RobustAccuracy robustAccuracy(Map<String, ?> options) {
    return (RobustAccuracy) new RobustAccuracy.Factory().create(options);
  }

  static Object create(String name, Map<String, ?> options) {
    return factories().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no factory " + name)).create(options);
  }

  /** dense(hidden) - tanh - dense(classes): smooth, so finite differences are accurate. */
  static Layer tanhMlp(int hidden, int classes) {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", hidden)), LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", classes)));
  }

  /** dense(hidden) - relu - dense(10). */
  static Layer reluMlp(int hidden) {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", hidden)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }

  /**
   * n samples of standard-normal features [n, d] (d &gt;= classes) in the default type, labelled by
   * which of the first {@code classes} features is largest: learnable, not separable by a margin.
   */
  static Dataset gaussian(int n, int d, int classes, long seed) {
    INDArray x = new Rng(seed).normal(Tensor.defaultType(), 0, 1, n, d);
    INDArray labels = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, classes)).argMax(1);
    return Dataset.classification(x, labels, classes);
  }

  /** The embedded digits with pixels scaled from 0..16 to [0, 1], split 80/20 (stratified, fixed seed). */
  static Dataset.Split digits01() {
    Dataset digits = EmbeddedData.digits();
    Dataset scaled = digits.withFeatures(digits.features().array().div(16.0));
    return scaled.split(0.2, new Rng(2015));
  }

  /** The elements as float64, in row-major order. */
  static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  /** An augmenter context at an epoch, with 3 classes and a seeded stream: the input gradient is whatever the test says. */
  static Augmenter.Context context(int epoch, long seed, Function<Batch, Tensor> inputGradient) {
    return FakeAugmenterContext.seeded(seed, 3).atEpoch(epoch).withInputGradient(inputGradient);
  }

  /** A scheduler that runs a check at the end of every epoch. */
  static Scheduler atEpochEnd(java.util.function.Consumer<dev.regimen.api.train.TrainingControl> check) {
    return new Scheduler() {
      @Override
      public void onEpochEnd(dev.regimen.api.train.TrainingControl control) {
        check.accept(control);
      }
    };
  }
}
