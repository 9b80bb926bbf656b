package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.PluginContract;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Stochastic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class DropoutPluginTest extends PluginContract {

  DropoutPluginTest() {
    super(DropoutPlugin.class, Map.of("dropout", ComponentKind.LAYER, "dropout.scaled", ComponentKind.LAYER, "dropout.gaussian", ComponentKind.LAYER, "dropout.uout", ComponentKind.LAYER, "dropout.spatial", ComponentKind.LAYER, "dropconnect", ComponentKind.LAYER, "drop_path", ComponentKind.LAYER, "dropout.alpha", ComponentKind.LAYER));
  }

  @Override
  protected Map<String, ?> options(String component) {
    return component.equals("dropconnect") ? Map.of("units", 2) : Map.of();
  }

  @Test
  void everyLayerIsStochastic() {
    for (ComponentFactory<Layer> factory : Components.factories()) {
      assertInstanceOf(Stochastic.class, factory.create(options(factory.name())), factory.name());
    }
  }

  @Test
  void everyRateSaysItIsTheProbabilityOfDropping() {
    for (ComponentFactory<Layer> factory : Components.factories()) {
      for (OptionSpec option : factory.options()) {
        if (option.name().equals("rate")) {
          assertTrue(option.description().contains("DROPPING"), factory.name() + ": " + option.description());
          assertTrue(factory.description().contains("probability of dropping"), factory.name() + ": "
              + factory.description());
          assertEquals("[0, 1)", option.constraint(), factory.name());
        }
      }
    }
  }
}
