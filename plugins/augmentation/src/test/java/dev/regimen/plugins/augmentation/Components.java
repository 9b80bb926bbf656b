package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plugin's factories by name, and small helpers shared by its tests. */
final class Components {
  private Components() {}

  /** Every factory of the plugin, in the order of the design's table. */
  static List<ComponentFactory<Augmenter>> factories() {
    return List.of(new Flip.Factory(), new RandomCrop.Factory(), new ColorJitter.Factory(), new Affine.Factory(),
        new GaussianNoise.Factory(), new LabelSmoothing.Factory(), new Mixup.Factory(), new RandomErasing.Factory(),
        new Mixup.CutMixFactory(), new RandAugment.Factory(), new AugMix.Factory());
  }

  static ComponentFactory<Augmenter> factory(String name) {
    return factories().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no factory " + name));
  }

  static Augmenter create(String name, Map<String, ?> options) {
    return factory(name).create(options);
  }

  /** Applies an augmenter to inputs with labels 0..N-1 mod K (K = 10) under a seed. */
  static INDArray apply(Augmenter augmenter, INDArray inputs, long seed) {
    return augmenter.apply(batch(inputs, 10), FakeAugmenterContext.seeded(seed, 10)).inputs().array();
  }

  /** A batch of the given inputs with labels i mod classes. */
  static Batch batch(INDArray inputs, int classes) {
    long n = inputs.size(0);
    INDArray labels = Nd4j.arange(n).castTo(DataType.FLOAT).fmodi(classes);
    return new Batch(Tensor.of(inputs), Tensor.of(labels));
  }

  /** A float64 array from values in row-major order. */
  static INDArray array(double[] values, long... shape) {
    return Nd4j.createFromArray(values).reshape(shape);
  }

  /** Uniform float32 images in [0, 1) of shape [n, c, h, w]. */
  static INDArray images(long seed, long n, long c, long h, long w) {
    return new Rng(seed).uniform(DataType.FLOAT, 0, 1, n, c, h, w);
  }

  /** The elements as float64, in row-major order. */
  static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }
}
