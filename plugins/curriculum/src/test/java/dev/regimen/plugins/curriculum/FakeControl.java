package dev.regimen.plugins.curriculum;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.History;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A training control driven by hand: the test moves the epochs, the control keeps what the scheduler set. */
final class FakeControl implements TrainingControl {
  final History history = new History();
  final Dataset train;
  final Layer model;
  /** Every setEpochSamples call, by the epoch it was made in: {epoch, rows or null}. */
  final List<Object[]> calls = new ArrayList<>();
  int epoch;
  int trainingSampleCalls;

  FakeControl(Dataset train, Layer model) {
    this.train = train;
    this.model = model;
  }

  /** onTrainStart, then onEpochStart for epochs 0..epochs-1. */
  void run(Curriculum curriculum, int epochs) {
    curriculum.onTrainStart(this);
    for (epoch = 0; epoch < epochs; epoch++) {
      curriculum.onEpochStart(this);
    }
  }

  /** The rows set in an epoch, or null if the call set the full data; an AssertionError if none was made. */
  int[] setIn(int e) {
    for (Object[] call : calls) {
      if ((int) call[0] == e) {
        return (int[]) call[1];
      }
    }
    throw new AssertionError("no setEpochSamples call in epoch " + e);
  }

  boolean anyCallIn(int e) {
    return calls.stream().anyMatch(c -> (int) c[0] == e);
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public int batch() {
    return -1;
  }

  @Override
  public double batchLoss() {
    return Double.NaN;
  }

  @Override
  public int epochs() {
    return 100;
  }

  @Override
  public History history() {
    return history;
  }

  @Override
  public Layer model() {
    return model;
  }

  @Override
  public double learningRate() {
    return 0.1;
  }

  @Override
  public void setLearningRate(double lr) {}

  @Override
  public void requestStop(String reason) {}

  @Override
  public boolean stopRequested() {
    return false;
  }

  @Override
  public Map<String, INDArray> snapshotWeights() {
    return Map.of();
  }

  @Override
  public void restoreWeights(Map<String, INDArray> snapshot) {}

  @Override
  public int trainingSize() {
    return train.size();
  }

  @Override
  public Batch trainingSample(int n) {
    trainingSampleCalls++;
    int rows = Math.min(n, train.size());
    int[] indices = new int[rows];
    for (int i = 0; i < rows; i++) {
      indices[i] = i;
    }
    Dataset sample = train.subset(indices);
    return new Batch(sample.features(), sample.targets(), indices);
  }

  @Override
  public Iterable<Batch> validationBatches(int batchSize) {
    return List.of();
  }

  @Override
  public Tensor inputGradient(Batch batch) {
    throw new UnsupportedOperationException("not needed by the curriculum");
  }

  @Override
  public void setEpochSamples(int[] indices) {
    calls.add(new Object[] {epoch, indices == null ? null : indices.clone()});
  }

  @Override
  public void record(String metric, double value) {
    history.record(epoch, metric, value);
  }
}
