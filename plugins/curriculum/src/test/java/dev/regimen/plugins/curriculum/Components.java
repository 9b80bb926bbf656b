package dev.regimen.plugins.curriculum;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The plugin's factory, and the data and models its tests share. */
final class Components {
  private Components() {}

  static Curriculum curriculum(Map<String, ?> options) {
    return (Curriculum) new Curriculum.Factory().create(options);
  }

  /** n samples of 4 standard-normal features, labelled by which of the first 3 is largest. */
  static Dataset data(int n, long seed) {
    INDArray x = new Rng(seed).normal(Tensor.defaultType(), 0, 1, n, 4);
    return Dataset.classification(x, x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).argMax(1), 3);
  }

  /** dense(8) - tanh - dense(3). */
  static Layer mlp() {
    return Sequential.of(LayerFactories.create("dense", Map.of("units", 8)), LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 3)));
  }

  /** Scores 0..n-1 in a scrambled order: row i has score (7 i) mod n (n not a multiple of 7). */
  static double[] scrambled(int n) {
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = (7L * i) % n;
    }
    return scores;
  }

  /** The rows sorted by score, easiest first. */
  static int[] easiestFirst(double[] scores) {
    return java.util.stream.IntStream.range(0, scores.length).boxed()
        .sorted(java.util.Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }
}
