package dev.regimen.core.distributed;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything a worker needs to make the model, the loss and the optimizer of a training, sent once per training;
 * the weights come with each call.
 *
 * @param id names this training's workers in a worker process's cache
 * @param modelConfigJson the model's config tree as a checkpoint saves it ({@code type}, {@code name},
 *     {@code options}, {@code children})
 * @param inputShape the per-sample input shape the model is built for
 * @param objective the loss
 * @param optimizer the optimizer ({@code sync: 'average'} steps it on the workers)
 * @param frozen the layers the trainer does not train
 * @param pluginDirs plugin folders, as paths a worker can read (loaded only for a component that is not built in)
 */
public record WorkerSpec(String id, String modelConfigJson, long[] inputShape, ComponentSpec objective,
    ComponentSpec optimizer, List<String> frozen, List<String> pluginDirs) implements Serializable {
  private static final long serialVersionUID = 1L;

  public WorkerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modelConfigJson, "modelConfigJson");
    inputShape = inputShape.clone();
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(optimizer, "optimizer");
    frozen = List.copyOf(frozen);
    pluginDirs = List.copyOf(pluginDirs);
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }
}
