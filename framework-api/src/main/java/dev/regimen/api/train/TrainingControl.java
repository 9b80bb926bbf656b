package dev.regimen.api.train;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a scheduler sees of, and may change in, a running training. */
public interface TrainingControl {

  /** The current epoch, from 0. */
  int epoch();

  /**
   * The index of the last finished batch within the epoch, from 0 (-1 before the first). A batch is one
   * optimizer update: with gradient accumulation, its micro-batches together.
   */
  int batch();

  /** The loss of the last batch (for {@code onBatchEnd}). */
  double batchLoss();

  /**
   * The training steps (optimizer updates) taken so far, across epochs and across a resume from a
   * checkpoint: the global step that per-batch values are plotted against (TensorBoard's {@code step}).
   */
  long step();

  int epochs();

  /**
   * The training steps (optimizer updates) one epoch over the full training set takes, its last
   * batch possibly smaller: what a schedule that is defined per step over the whole run (one-cycle)
   * plans with; 0 if unknown.
   */
  default int stepsPerEpoch() {
    return 0;
  }

  History history();

  Layer model();

  double learningRate();

  void setLearningRate(double lr);

  /** Asks training to stop after the current epoch (or now, between batches), with a reason for the log. */
  void requestStop(String reason);

  boolean stopRequested();

  /** A copy of every parameter and buffer by model-wide name. */
  Map<String, INDArray> snapshotWeights();

  /** Puts back weights taken by {@link #snapshotWeights()}. */
  void restoreWeights(Map<String, INDArray> snapshot);

  /**
   * Puts back weights taken by {@link #snapshotWeights()} at the end of {@code epoch} (from 0), so that
   * the run reports which epoch's weights the model holds ({@link #weightsEpoch()}): early stopping
   * restoring its best epoch.
   */
  default void restoreWeights(Map<String, INDArray> snapshot, int epoch) {
    restoreWeights(snapshot);
  }

  /**
   * The epoch (from 0) whose weights the model holds: the last one completed, or the one whose snapshot
   * {@link #restoreWeights(Map, int)} put back; -1 before any epoch completed or after a restore of an
   * unknown epoch.
   */
  default int weightsEpoch() {
    return history().epochs() - 1;
  }

  /** The number of training samples. */
  int trainingSize();

  /**
   * The first {@code n} rows of the training set (fewer if it is smaller), in dataset order and not
   * augmented: a fixed batch for diagnostics to measure on.
   */
  Batch trainingSample(int n);

  /** The validation data in batches, in order (none if training has no validation data). */
  Iterable<Batch> validationBatches(int batchSize);

  /**
   * The gradient of the training objective with respect to a batch's inputs at the current
   * weights, in evaluation mode, leaving the parameters' gradients untouched (adversarial
   * evaluation needs it).
   */
  Tensor inputGradient(Batch batch);

  /**
   * Chooses which training samples the next epoch sees and in what order (curriculum learning);
   * {@code null} restores the full, shuffled set.
   */
  void setEpochSamples(int[] indices);

  /** Adds a value to the current epoch's history (diagnostics). */
  void record(String metric, double value);

  /**
   * The folder where components may write files of their own about this training (an LR range test's
   * plot and table): the run folder when a script runs under the CLI; {@code null} when the training
   * has none, and then a component writes nothing.
   */
  default java.nio.file.Path outputDir() {
    return null;
  }
}
