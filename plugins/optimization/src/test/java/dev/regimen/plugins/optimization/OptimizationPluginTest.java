package dev.regimen.plugins.optimization;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.PluginContract;
import java.util.Map;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class OptimizationPluginTest extends PluginContract {

  OptimizationPluginTest() {
    super(OptimizationPlugin.class, Map.of("grad_clip", ComponentKind.REGULARIZER, "ema", ComponentKind.SCHEDULER));
  }
}
