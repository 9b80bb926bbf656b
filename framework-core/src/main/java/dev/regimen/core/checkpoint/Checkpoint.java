package dev.regimen.core.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loaded checkpoint: every array by name (model parameters and buffers by model-wide name, optimizer
 * state under {@link CheckpointStore#OPTIMIZER_PREFIX}, normalizer arrays under {@link
 * CheckpointStore#NORMALIZER_PREFIX}, schedulers' arrays under {@link CheckpointStore#SCHEDULER_PREFIX})
 * and the rest of the state.
 *
 * @param arrays all arrays in file order, unmodifiable
 * @param state the training state from {@code state.json}
 */
public record Checkpoint(Map<String, INDArray> arrays, CheckpointState state) {

  public Checkpoint {
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
  }

  /** The model's parameters and buffers: the arrays outside the optimizer, normalizer and scheduler prefixes. */
  public Map<String, INDArray> modelArrays() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach(
        (name, array) -> {
          if (!name.startsWith(CheckpointStore.OPTIMIZER_PREFIX)
              && !name.startsWith(CheckpointStore.NORMALIZER_PREFIX)
              && !name.startsWith(CheckpointStore.SCHEDULER_PREFIX)) {
            out.put(name, array);
          }
        });
    return Collections.unmodifiableMap(out);
  }

  /** The optimizer's arrays, by name without the {@link CheckpointStore#OPTIMIZER_PREFIX}. */
  public Map<String, INDArray> optimizerArrays() {
    return withPrefix(CheckpointStore.OPTIMIZER_PREFIX);
  }

  /** The normalizer's arrays, by name without the {@link CheckpointStore#NORMALIZER_PREFIX}. */
  public Map<String, INDArray> normalizerArrays() {
    return withPrefix(CheckpointStore.NORMALIZER_PREFIX);
  }

  /** The arrays whose names start with {@code prefix}, by name with the prefix removed. */
  public Map<String, INDArray> withPrefix(String prefix) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach(
        (name, array) -> {
          if (name.startsWith(prefix)) {
            out.put(name.substring(prefix.length()), array);
          }
        });
    return Collections.unmodifiableMap(out);
  }
}
