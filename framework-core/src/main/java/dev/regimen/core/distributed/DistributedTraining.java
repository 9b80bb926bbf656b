package dev.regimen.core.distributed;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the trainer needs to train data-parallel besides its own config: the user's options, and how a worker
 * makes the loss and the optimizer again (the trainer holds them as objects, which do not travel).
 *
 * @param options the {@code distributed} option
 * @param objective the loss by name and options
 * @param optimizer the optimizer by name and options (used by {@code sync: 'average'}, whose workers step)
 * @param pluginDirs the folders of the plugins whose components the model, loss or optimizer may use; a worker
 *     loads them only for a component that is not built in
 */
public record DistributedTraining(DistributedOptions options, ComponentSpec objective, ComponentSpec optimizer,
    List<Path> pluginDirs) {

  public DistributedTraining {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(optimizer, "optimizer");
    pluginDirs = List.copyOf(pluginDirs);
  }
}
