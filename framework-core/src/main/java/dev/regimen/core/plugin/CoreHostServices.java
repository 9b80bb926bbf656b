package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.host.HostServices;
import dev.regimen.api.nn.Layer;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.Transfer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The core's {@link HostServices}, registered in {@code META-INF/services} so that plugins find it
 * through {@link HostServices#get()}: each service is one call into the core ({@link TrainerConfig},
 * {@link CheckpointStore}, {@link Transfer}, {@link LayerFactories}), so what a plugin gets is exactly
 * what the core's own callers get.
 */
public final class CoreHostServices implements HostServices {

  /** Made by {@link java.util.ServiceLoader}. */
  public CoreHostServices() {}

  /** A fresh {@link TrainerConfig#builder()}. */
  @Override
  public TrainerConfig.Builder newTraining() {
    return TrainerConfig.builder();
  }

  @Override
  public ComponentFactory<Layer> builtInLayer(String name) {
    return LayerFactories.factory(name);
  }

  @Override
  public List<String> checkpointFiles() {
    return List.of(CheckpointStore.WEIGHTS_FILE, CheckpointStore.STATE_FILE);
  }

  @Override
  public boolean isCheckpoint(Path dir) {
    return CheckpointStore.exists(dir);
  }

  /** {@code LayerFactories.fromConfig(Transfer.modelConfig(dir), layers)}. */
  @Override
  public Layer modelFromCheckpoint(Path dir, Function<String, ComponentFactory<Layer>> layers) {
    return LayerFactories.fromConfig(Transfer.modelConfig(dir), layers);
  }

  /** {@code Transfer.saveModel(model, dir)}. */
  @Override
  public void saveModel(Layer model, Path dir) {
    Transfer.saveModel(model, dir);
  }

  /** {@code Transfer.initialize(model, dir, model.name())}: the root names every layer. */
  @Override
  public void restoreWeights(Layer model, Path dir) {
    Transfer.initialize(model, dir, model.name());
  }
}
