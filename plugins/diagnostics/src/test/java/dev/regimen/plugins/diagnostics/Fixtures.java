package dev.regimen.plugins.diagnostics;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.plugins.dropout.Dropout;
import dev.regimen.plugins.dropout.Uout;
import dev.regimen.plugins.normalization.BatchNorm;
import java.util.Map;

/** Layers, data and a short training run for the diagnostics' tests. */
final class Fixtures {
  private Fixtures() {}

  static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  static Layer relu() {
    return LayerFactories.create("relu");
  }

  static Layer dropout(double rate) {
    return new Dropout.Factory().create(Map.of("rate", rate));
  }

  static Layer uout(double beta) {
    return new Uout.Factory().create(Map.of("beta", beta));
  }

  static Layer batchnorm() {
    return new BatchNorm.Factory().create(Map.of());
  }

  static VarianceShift varianceShift(Map<String, ?> options) {
    return (VarianceShift) new VarianceShift.Factory().create(options);
  }

  static ActivationStats activationStats(Map<String, ?> options) {
    return (ActivationStats) new ActivationStats.Factory().create(options);
  }

  static WeightStats weightStats(Map<String, ?> options) {
    return (WeightStats) new WeightStats.Factory().create(options);
  }

  /** Three Gaussian blobs in 8 dimensions, scaled to about [-1, 1]: 480 samples. */
  static Dataset blobs() {
    Dataset raw = Synthetic.blobs(480, 3, 8, 2.0, new Rng(3));
    return raw.withFeatures(raw.features().array().div(10.0));
  }

  /** A few epochs of Adam on {@link #blobs()} with the given schedulers. */
  static TrainingResult train(Layer model, int epochs, Scheduler... schedulers) {
    TrainerConfig.Builder config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-2))
        .epochs(epochs)
        .batchSize(48)
        .seed(7)
        .progress(false);
    for (Scheduler s : schedulers) {
      config.scheduler(s);
    }
    return new Trainer(config.build()).fit(model, blobs(), null);
  }
}
