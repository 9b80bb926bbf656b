package dev.regimen.core.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything in a checkpoint that is not an array, stored as {@code state.json}: enough, with the
 * arrays, for a resumed run to continue exactly where the interrupted one stopped.
 *
 * <p>Values of the free-form maps ({@link #modelConfig}, {@link #schedulers}, {@link #extra}) must be
 * JSON values: strings, numbers, booleans, null, lists and maps of them. They come back as JSON types
 * (an integer as {@code Integer} or {@code Long}, a fraction as {@code Double}, an object as a {@code
 * LinkedHashMap}). Non-finite doubles in the history round-trip (Jackson writes them as the strings
 * {@code "NaN"}, {@code "Infinity"}).
 *
 * <p>Null maps and lists become empty ones; all collections are unmodifiable copies that keep their
 * order. The components, their names and their order are state.json's layout: Jackson writes and reads
 * the record as it is, so a change here is a change of {@link #FORMAT_VERSION}. A state is made with
 * the canonical constructor, one argument per field.
 *
 * @param formatVersion the layout of the checkpoint, {@link #FORMAT_VERSION} for one written now
 * @param modelConfig the model's configuration (layers and their hyper-parameters) as a JSON tree
 * @param optimizer the optimizer's component name, e.g. {@code adam}; its arrays are saved under {@link
 *     CheckpointStore#OPTIMIZER_PREFIX}
 * @param optimizerStep the optimizer's step count (Adam's bias correction depends on it)
 * @param learningRate the learning rate in force when the checkpoint was taken (schedules change it)
 * @param epoch the number of completed epochs
 * @param batchInEpoch the number of batches of the current (incomplete) epoch already trained; 0 at an
 *     epoch boundary
 * @param seed the run's random seed
 * @param rngPosition the position of the run's counter-based random stream ({@code
 *     dev.regimen.api.tensor.Rng#position()}); the trainer writes 0, as it derives every stream from
 *     the seed, the epoch and the batch
 * @param schedulers each scheduler's own state by scheduler name (early stopping's best value and
 *     patience count, a plateau schedule's counter, ...)
 * @param normalizer the kind of the input normalizer ({@code zscore}, {@code minmax}), or null for none;
 *     its fitted arrays are saved under {@link CheckpointStore#NORMALIZER_PREFIX}
 * @param history the metrics of every completed epoch, one map per epoch
 * @param extra anything else a component wants to keep
 */
public record CheckpointState(
    int formatVersion,
    Map<String, Object> modelConfig,
    String optimizer,
    long optimizerStep,
    double learningRate,
    int epoch,
    long batchInEpoch,
    long seed,
    long rngPosition,
    Map<String, Map<String, Object>> schedulers,
    String normalizer,
    List<Map<String, Double>> history,
    Map<String, Object> extra) {

  /** The checkpoint layout this version of Regimen writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  public CheckpointState {
    modelConfig = copy(modelConfig);
    Map<String, Map<String, Object>> schedulerCopy = new LinkedHashMap<>();
    if (schedulers != null) {
      schedulers.forEach((name, state) -> schedulerCopy.put(name, copy(state)));
    }
    schedulers = Collections.unmodifiableMap(schedulerCopy);
    List<Map<String, Double>> historyCopy = new ArrayList<>();
    if (history != null) {
      for (Map<String, Double> epochMetrics : history) {
        historyCopy.add(copy(epochMetrics));
      }
    }
    history = Collections.unmodifiableList(historyCopy);
    extra = copy(extra);
  }

  private static <V> Map<String, V> copy(Map<String, V> map) {
    return map == null
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(map)); // keeps order and null values
  }
}
