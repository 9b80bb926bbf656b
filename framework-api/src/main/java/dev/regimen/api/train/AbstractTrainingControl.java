package dev.regimen.api.train;

/**
 * The state behind {@link TrainingControl}'s simple getters, kept once for every control: the
 * position in training (the epoch, the last finished batch, its loss), the {@link History} that
 * {@link #record} writes into at the current epoch, and the first stop request. The trainer's control
 * and the test kit's {@code FakeControl} extend it; a subclass moves the position with the protected
 * setters and supplies the rest (the model, the learning rate, the data, the weights).
 */
public abstract class AbstractTrainingControl implements TrainingControl {
  private final History history = new History();
  private int epoch;
  private int batch = -1;
  private double batchLoss = Double.NaN;
  private String stopReason;

  @Override
  public final int epoch() {
    return epoch;
  }

  @Override
  public final int batch() {
    return batch;
  }

  @Override
  public final double batchLoss() {
    return batchLoss;
  }

  @Override
  public final History history() {
    return history;
  }

  /** Keeps the first reason: a later request does not replace it. */
  @Override
  public final void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  @Override
  public final boolean stopRequested() {
    return stopReason != null;
  }

  /** The reason of the first stop request, {@code null} while none was made. */
  public final String stopReason() {
    return stopReason;
  }

  @Override
  public final void record(String metric, double value) {
    history.record(epoch, metric, value);
  }

  /** Moves to an epoch (from 0). */
  protected void setEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** Sets the index of the last finished batch within the epoch ({@code -1} before the first). */
  protected void setBatch(int batch) {
    this.batch = batch;
  }

  /** Sets the loss of the last finished batch. */
  protected void setBatchLoss(double loss) {
    this.batchLoss = loss;
  }

  /** Stops with this reason, replacing any earlier request's (an interruption says why training really ended). */
  protected final void stopBecause(String reason) {
    this.stopReason = reason;
  }
}
