package dev.regimen.testkit;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.AbstractTrainingControl;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link TrainingControl} driven by hand, for testing a {@link Scheduler} (a learning-rate schedule,
 * early stopping, a curriculum, a diagnostic) without a trainer: the test sets the epoch and the
 * metrics, calls the scheduler's events, and reads what the scheduler did.
 *
 * <pre>{@code
 * FakeControl control = new FakeControl().withModel(model);
 * for (int e = 0; e < 4; e++) {
 *   control.setEpoch(e);
 *   control.history().record(e, "val_loss", losses[e]);
 *   scheduler.onEpochEnd(control);
 * }
 * assertEquals(0.01, control.learningRate);
 * }</pre>
 *
 * <p>What it does for each call: the position (epoch, batch, batch loss), the history, {@link #record}
 * and the first stop request ({@link #stopReason()}) are the trainer's own, from {@link
 * AbstractTrainingControl}; the learning rate and the epoch's samples are kept in public fields;
 * {@link #snapshotWeights} copies {@link #weights} (the model's parameters once {@link #withModel} is
 * called, or whatever a test puts there) and {@link #restoreWeights} writes a snapshot back and counts
 * it; {@link #trainingSample} gives the first rows of {@link #withTraining the training data}, with
 * their indices. It has no objective, so {@link #inputGradient} is refused, and no validation data.
 */
public class FakeControl extends AbstractTrainingControl {
  /** The weights {@link #snapshotWeights} copies and {@link #restoreWeights} writes, by name. */
  public final Map<String, INDArray> weights = new LinkedHashMap<>();
  /** Every {@link #setEpochSamples} call, in order. */
  public final List<EpochSamples> epochSamples = new ArrayList<>();
  /** The global training step that {@link #step()} reports. */
  public long step;
  /** The planned number of epochs. */
  public int epochs = 100;
  /** The steps of one epoch that {@link #stepsPerEpoch()} reports; 0, unknown, unless a test sets it. */
  public int stepsPerEpoch;
  /** The learning rate: 0.1 until a scheduler or the test sets another. */
  public double learningRate = 0.1;
  /** How often {@link #restoreWeights} and {@link #trainingSample} were called. */
  public int restores;
  public int trainingSampleCalls;

  private Layer model;
  private Tensor trainingFeatures;
  private Tensor trainingTargets;

  /** One {@link #setEpochSamples} call: the epoch it was made in and its rows, null for the full data. */
  public record EpochSamples(int epoch, int[] rows) {}

  /** Sets the model, and makes its parameters (as they are now, by model-wide name) the {@link #weights}. */
  public FakeControl withModel(Layer model) {
    this.model = model;
    weights.clear();
    if (model.isBuilt()) {
      for (Parameter p : Layers.parameters(model)) {
        weights.put(p.name(), p.value().array());
      }
    }
    return this;
  }

  /** Sets the training data that {@link #trainingSample} and {@link #trainingSize} see; targets may be null. */
  public FakeControl withTraining(Tensor features, Tensor targets) {
    this.trainingFeatures = features;
    this.trainingTargets = targets;
    return this;
  }

  /** Plays a run's start: {@code onTrainStart}, then {@code onEpochStart} for epochs 0 to {@code epochs - 1}. */
  public void startEpochs(Scheduler scheduler, int epochs) {
    scheduler.onTrainStart(this);
    for (int e = 0; e < epochs; e++) {
      setEpoch(e);
      scheduler.onEpochStart(this);
    }
  }

  /** Moves to an epoch (from 0), as the trainer does before {@code onEpochStart}. */
  @Override
  public void setEpoch(int epoch) {
    super.setEpoch(epoch);
  }

  /** Sets the last finished batch ({@code -1} between epochs) and its loss, as the trainer does before {@code onBatchEnd}. */
  public void setBatch(int batch, double loss) {
    setBatch(batch);
    setBatchLoss(loss);
  }

  /** The rows set in an epoch, or null if the call gave the full data back; an AssertionError if none was made. */
  public int[] samplesSetIn(int epoch) {
    return epochSamples.stream().filter(c -> c.epoch() == epoch).findFirst()
        .orElseThrow(() -> new AssertionError("no setEpochSamples call in epoch " + epoch)).rows();
  }

  /** Whether {@link #setEpochSamples} was called in an epoch. */
  public boolean anySamplesSetIn(int epoch) {
    return epochSamples.stream().anyMatch(c -> c.epoch() == epoch);
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public int epochs() {
    return epochs;
  }

  @Override
  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  @Override
  public Layer model() {
    return model;
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double lr) {
    learningRate = lr;
  }

  @Override
  public Map<String, INDArray> snapshotWeights() {
    Map<String, INDArray> copy = new LinkedHashMap<>();
    weights.forEach((name, w) -> copy.put(name, w.dup()));
    return copy;
  }

  @Override
  public void restoreWeights(Map<String, INDArray> snapshot) {
    snapshot.forEach((name, w) -> {
      INDArray target = weights.get(name);
      if (target != null && target.equalShapes(w)) {
        target.assign(w);
      } else {
        weights.put(name, w.dup());
      }
    });
    restores++;
  }

  @Override
  public int trainingSize() {
    return trainingFeatures == null ? 0 : Math.toIntExact(trainingFeatures.size(0));
  }

  @Override
  public Batch trainingSample(int n) {
    if (trainingFeatures == null) {
      throw new IllegalStateException("this FakeControl has no training data: give it withTraining(features, targets)");
    }
    trainingSampleCalls++;
    int rows = Math.min(n, trainingSize());
    int[] indices = new int[rows];
    for (int i = 0; i < rows; i++) {
      indices[i] = i;
    }
    Tensor targets = trainingTargets == null ? null : trainingTargets.slice(0, 0, rows);
    return new Batch(trainingFeatures.slice(0, 0, rows), targets, indices);
  }

  @Override
  public Iterable<Batch> validationBatches(int batchSize) {
    return List.of();
  }

  @Override
  public Tensor inputGradient(Batch batch) {
    throw new UnsupportedOperationException("a FakeControl has no objective, so no input gradient");
  }

  @Override
  public void setEpochSamples(int[] indices) {
    epochSamples.add(new EpochSamples(epoch(), indices == null ? null : indices.clone()));
  }
}
