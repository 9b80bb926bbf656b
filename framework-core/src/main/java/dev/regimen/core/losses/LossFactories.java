package dev.regimen.core.losses;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.train.Objective;
import java.util.List;

/** The factories of the built-in losses, for the component registry. */
public final class LossFactories {
  private LossFactories() {}

  /** One factory per built-in loss, in the order listings show them. */
  public static List<ComponentFactory<Objective>> all() {
    return List.of(
        new MeanSquaredError.Factory(),
        new MeanAbsoluteError.Factory(),
        new Huber.Factory(),
        new SoftmaxCrossEntropy.Factory(),
        new BinaryCrossEntropy.Factory());
  }
}
