package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.train.Regularizer;
import dev.regimen.testkit.PluginContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the plugin host relies on: the plugin loads from its classes and manifest and contributes these components. */
class RegularizationPluginTest extends PluginContract {

  RegularizationPluginTest() {
    super(RegularizationPlugin.class, Map.of("l1", ComponentKind.REGULARIZER, "l2", ComponentKind.REGULARIZER,
        "weight_decay", ComponentKind.REGULARIZER, "weight_noise", ComponentKind.REGULARIZER, "max_norm", ComponentKind.REGULARIZER));
  }

  @Test
  void everyComponentActsOnWeightsOnlyByDefaultAndNamesItselfInToString() {
    for (ComponentFactory<Regularizer> factory : Regularizers.factories()) {
      OptionSpec biases = factory.options().stream().filter(o -> o.name().equals("include_biases")).findFirst()
          .orElseThrow(() -> new AssertionError(factory.name() + " has include_biases"));
      assertEquals(false, biases.defaultValue(), factory.name());
      assertTrue(factory.options().stream().anyMatch(o -> o.name().equals("layers")), factory.name() + " has layers");
      Regularizer made = factory.create(Map.of());
      assertTrue(made.toString().startsWith(factory.name() + "("), made.toString());
    }
  }

  @Test
  void toStringShowsTheOptionsThatWereSet() {
    assertEquals("weight_noise(sigma=0.1, mode=multiplicative, include_biases=true, layers=[dense_2])",
        Regularizers.create("weight_noise", Map.of("sigma", 0.1, "mode", "multiplicative", "include_biases", true,
            "layers", "dense_2")).toString());
  }
}
