package dev.regimen.plugins.diagnostics;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.History;
import dev.regimen.api.train.TrainingControl;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A training control driven by hand: the test sets the model and the epoch, the diagnostic records. */
final class TestControl implements TrainingControl {
  final History history = new History();
  final Layer model;
  int epoch;
  /** What trainingSample returns the first rows of; null when a test gives no training data. */
  dev.regimen.api.tensor.Tensor trainingFeatures;

  TestControl(Layer model) {
    this.model = model;
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
    return 0;
  }

  @Override
  public void setEpochSamples(int[] indices) {}

  @Override
  public void record(String metric, double value) {
    history.record(epoch, metric, value);
  }

  @Override
  public dev.regimen.api.train.Batch trainingSample(int n) {
    if (trainingFeatures == null) {
      throw new IllegalStateException("this test gave no training data");
    }
    long rows = Math.min(n, trainingFeatures.size(0));
    return new dev.regimen.api.train.Batch(trainingFeatures.slice(0, 0, rows), null);
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
