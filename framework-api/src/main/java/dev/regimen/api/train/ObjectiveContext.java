package dev.regimen.api.train;

import dev.regimen.api.tensor.Tensor;
import java.util.Map;

/** What an objective may read besides outputs and targets: the batch, the taps, the mode. */
public interface ObjectiveContext {
  Batch batch();

  /** Named intermediate values recorded during the forward pass (empty unless requested). */
  Map<String, Tensor> taps();

  boolean training();

  int epoch();

  /** A context for a plain loss computation outside training. */
  static ObjectiveContext of(Batch batch) {
    return new ObjectiveContext() {
      @Override
      public Batch batch() {
        return batch;
      }

      @Override
      public Map<String, Tensor> taps() {
        return Map.of();
      }

      @Override
      public boolean training() {
        return false;
      }

      @Override
      public int epoch() {
        return 0;
      }
    };
  }
}
