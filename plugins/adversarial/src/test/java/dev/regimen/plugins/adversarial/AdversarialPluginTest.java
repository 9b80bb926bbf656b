package dev.regimen.plugins.adversarial;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.PluginContract;
import java.util.Map;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class AdversarialPluginTest extends PluginContract {

  AdversarialPluginTest() {
    super(AdversarialPlugin.class, Map.of("fgsm", ComponentKind.AUGMENTER, "robust_accuracy", ComponentKind.SCHEDULER,
        "pgd", ComponentKind.AUGMENTER));
  }
}
