package dev.regimen.plugins.optimization;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.core.optim.Sgd;
import dev.regimen.testkit.PluginContract;
import java.util.List;
import java.util.Map;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class OptimizationPluginTest extends PluginContract {

  OptimizationPluginTest() {
    super(OptimizationPlugin.class, Map.of("grad_clip", ComponentKind.REGULARIZER, "ema", ComponentKind.SCHEDULER,
        "lookahead", ComponentKind.OPTIMIZER, "sam", ComponentKind.OPTIMIZER, "swa", ComponentKind.SCHEDULER));
  }

  /** The optimizers that wrap another are made around SGD. */
  @Override
  protected Map<String, ?> options(String component) {
    return List.of("lookahead", "sam").contains(component) ? Map.of("optimizer", new Sgd(0.1)) : Map.of();
  }
}
