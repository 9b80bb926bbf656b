package dev.regimen.plugins.distillation;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The embedded digits split once (pixels scaled to [0, 1]), small MLPs, and test accuracy. */
final class Digits {
  static final Dataset.Split SPLIT = load();

  private Digits() {}

  private static Dataset.Split load() {
    Dataset.Split split = EmbeddedData.digits().split(0.3, new Rng(11));
    return new Dataset.Split(scaled(split.train()), scaled(split.validation()));
  }

  private static Dataset scaled(Dataset d) {
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  static Dataset train() {
    return SPLIT.train();
  }

  static Dataset test() {
    return SPLIT.validation();
  }

  /** dense(h1) relu dense(h2) relu ... dense(10), logits out; layers named dense_k, relu_k by the trainer. */
  static Layer mlp(int... hidden) {
    List<Layer> layers = new ArrayList<>();
    for (int units : hidden) {
      layers.add(LayerFactories.create("dense", Map.of("units", units)));
      layers.add(LayerFactories.create("relu"));
    }
    layers.add(LayerFactories.create("dense", Map.of("units", 10)));
    return new Sequential(layers);
  }

  static TrainerConfig.Builder trainer(int epochs, double lr, long seed) {
    return TrainerConfig.builder().optimizer(new Adam(lr)).epochs(epochs).batchSize(32).seed(seed).progress(false);
  }

  static double accuracy(Layer model, Dataset data) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray logits = model.forward(data.features(), ForwardContext.evaluation()).array();
      INDArray predicted = logits.argMax(1).castTo(data.targets().dataType());
      return predicted.eq(data.targets().array()).castTo(data.targets().dataType()).meanNumber().doubleValue();
    }
  }
}
