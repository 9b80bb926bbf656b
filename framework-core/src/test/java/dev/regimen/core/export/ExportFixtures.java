package dev.regimen.core.export;

import dev.regimen.api.nn.Layer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Small trained models with checkpoints, for the export tests here and in the CLI's. */
public final class ExportFixtures {
  private ExportFixtures() {}

  /** A layer by name with options given as name, value, name, value... */
  public static Layer layer(String name, Object... options) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < options.length; i += 2) {
      map.put((String) options[i], options[i + 1]);
    }
    return LayerFactories.create(name, map);
  }

  /** The first 600 digits: raw features [N, 64] in 0..16, ten classes. */
  public static Dataset digits() {
    return EmbeddedData.digits().subset(IntStream.range(0, 600).toArray());
  }

  /**
   * Trains {@code model} for 2 epochs on {@code raw} scaled by a zscore normalizer fitted on it, saving
   * checkpoints (with the normalizer) into {@code checkpoints}; returns the normalizer.
   */
  public static Normalizer train(Layer model, Dataset raw, Path checkpoints) {
    Normalizer normalizer = Normalizer.zscore().fit(raw);
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(0.01))
        .epochs(2)
        .batchSize(64)
        .seed(3)
        .progress(false)
        .checkpointDir(checkpoints)
        .normalizer(normalizer)
        .build();
    new Trainer(config).fit(model, normalizer.apply(raw), null);
    return normalizer;
  }

  /** Loads a checkpoint (or a run folder's) with the built-in layers and the recorded input shape. */
  public static TrainedModel load(Path path) {
    return TrainedModel.load(TrainedModel.checkpointOf(path), LayerFactories::factory, null);
  }
}
