package dev.regimen.core.optim;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.train.Optimizer;
import java.util.List;

/** The factories of the built-in optimizers, for the component registry. */
public final class OptimizerFactories {
  private OptimizerFactories() {}

  /** One factory per built-in optimizer, in the order listings show them. */
  public static List<ComponentFactory<Optimizer>> all() {
    return List.of(new Sgd.Factory(), new Adam.Factory(), new AdamW.Factory(), new RmsProp.Factory(), new Lion.Factory(),
        new Lamb.Factory());
  }
}
