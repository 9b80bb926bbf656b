package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.train.Regularizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;
import org.pf4j.Plugin;

class RegularizationPluginTest {

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, RegularizationPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsOneFactoryPerComponent() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(RegularizationPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    List<String> expected = Regularizers.factories().stream().map(f -> f.getClass().getName()).sorted().toList();
    assertEquals(expected, indexed.stream().sorted().toList(), "factories in META-INF/extensions.idx");
  }

  @Test
  void componentsAreRegularizersWithTheirNames() {
    List<String> names = Regularizers.factories().stream().map(ComponentFactory::name).toList();
    assertEquals(List.of("l1", "l2", "weight_decay", "weight_noise"), names);
    for (ComponentFactory<Regularizer> factory : Regularizers.factories()) {
      assertEquals(ComponentKind.REGULARIZER, factory.kind(), factory.name());
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      Regularizer made = factory.create(Map.of());
      assertTrue(made.toString().startsWith(factory.name() + "("), made.toString());
    }
  }

  @Test
  void everyComponentActsOnWeightsOnlyByDefault() {
    for (ComponentFactory<Regularizer> factory : Regularizers.factories()) {
      OptionSpec biases = factory.options().stream().filter(o -> o.name().equals("include_biases")).findFirst()
          .orElseThrow(() -> new AssertionError(factory.name() + " has include_biases"));
      assertEquals(false, biases.defaultValue(), factory.name());
      assertTrue(factory.options().stream().anyMatch(o -> o.name().equals("layers")), factory.name() + " has layers");
    }
  }

  @Test
  void toStringShowsTheOptionsThatWereSet() {
    assertEquals("weight_noise(sigma=0.1, mode=multiplicative, include_biases=true, layers=[dense_2])",
        Regularizers.create("weight_noise", Map.of("sigma", 0.1, "mode", "multiplicative", "include_biases", true,
            "layers", "dense_2")).toString());
  }
}
