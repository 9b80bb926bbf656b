package dev.regimen.plugins.distillation;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.ObjectiveContext;
import java.util.Map;

/** Objective contexts as the trainer makes them: a batch and the taps of a training pass. */
final class Contexts {
  private Contexts() {}

  static ObjectiveContext training(Batch batch, Map<String, Tensor> taps) {
    return new ObjectiveContext() {
      @Override
      public Batch batch() {
        return batch;
      }

      @Override
      public Map<String, Tensor> taps() {
        return taps;
      }

      @Override
      public boolean training() {
        return true;
      }

      @Override
      public int epoch() {
        return 0;
      }
    };
  }
}
