package dev.regimen.core.schedule;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.History;
import dev.regimen.api.train.TrainingControl;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A training control driven by hand: the test sets the epoch and the metrics, the scheduler reacts. */
final class FakeControl implements TrainingControl {
  final History history = new History();
  int epoch;
  int batch = -1;
  int epochs = 100;
  double lr = 0.1;
  String stopReason;
  /** The "weights": one scalar per epoch, so a restore shows which epoch it came from. */
  double weight;
  int restores;

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public double batchLoss() {
    return 0;
  }

  @Override
  public int epochs() {
    return epochs;
  }

  @Override
  public History history() {
    return history;
  }

  @Override
  public Layer model() {
    return null;
  }

  @Override
  public double learningRate() {
    return lr;
  }

  @Override
  public void setLearningRate(double lr) {
    this.lr = lr;
  }

  @Override
  public void requestStop(String reason) {
    stopReason = reason;
  }

  @Override
  public boolean stopRequested() {
    return stopReason != null;
  }

  @Override
  public Map<String, INDArray> snapshotWeights() {
    Map<String, INDArray> m = new HashMap<>();
    m.put("w", Nd4j.scalar(weight));
    return m;
  }

  @Override
  public void restoreWeights(Map<String, INDArray> snapshot) {
    weight = snapshot.get("w").getDouble(0);
    restores++;
  }

  @Override
  public int trainingSize() {
    return 100;
  }

  @Override
  public dev.regimen.api.train.Batch trainingSample(int n) {
    throw new UnsupportedOperationException("FakeControl has no training data");
  }

  @Override
  public void setEpochSamples(int[] indices) {}

  @Override
  public void record(String metric, double value) {
    history.record(epoch, metric, value);
  }

  @Override
  public Iterable<dev.regimen.api.train.Batch> validationBatches(int batchSize) {
    return java.util.List.of();
  }

  @Override
  public dev.regimen.api.tensor.Tensor inputGradient(dev.regimen.api.train.Batch batch) {
    throw new UnsupportedOperationException("this test control has no objective");
  }
}
