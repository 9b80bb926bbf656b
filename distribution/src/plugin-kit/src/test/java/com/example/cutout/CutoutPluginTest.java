package com.example.cutout;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.PluginContract;
import java.util.Map;

/**
 * The plugin loads as Regimen loads it and contributes exactly its one augmenter, documented and made
 * with its defaults: the test kit's {@link PluginContract} does all of it, from the manifest entries
 * that {@code pom.xml} passes to the tests (regimen.plugin.*). A plugin with more components lists
 * each here, name to kind; one whose defaults are refused gives options by overriding
 * {@code options(component)}.
 */
class CutoutPluginTest extends PluginContract {
  CutoutPluginTest() {
    super(CutoutPlugin.class, Map.of(Cutout.NAME, ComponentKind.AUGMENTER));
  }
}
