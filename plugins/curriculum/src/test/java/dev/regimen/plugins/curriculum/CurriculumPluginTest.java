package dev.regimen.plugins.curriculum;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.PluginContract;
import java.util.Map;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class CurriculumPluginTest extends PluginContract {

  CurriculumPluginTest() {
    super(CurriculumPlugin.class, Map.of("curriculum", ComponentKind.SCHEDULER));
  }
}
