package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Stochastic;
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

class DropoutPluginTest {

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, DropoutPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsOneFactoryPerComponent() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(DropoutPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    List<String> expected = Components.factories().stream().map(f -> f.getClass().getName()).sorted().toList();
    assertEquals(expected, indexed.stream().sorted().toList(), "factories in META-INF/extensions.idx");
  }

  @Test
  void componentsHaveTheirNamesAndMakeStochasticLayers() {
    List<String> names = Components.factories().stream().map(ComponentFactory::name).toList();
    assertEquals(List.of("dropout", "dropout.scaled", "dropout.gaussian", "dropout.uout", "dropout.spatial",
        "dropconnect"), names);
    for (ComponentFactory<Layer> factory : Components.factories()) {
      assertEquals(ComponentKind.LAYER, factory.kind(), factory.name());
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      Layer layer = factory.create(factory.name().equals("dropconnect") ? Map.of("units", 2) : Map.of());
      assertInstanceOf(Stochastic.class, layer, factory.name());
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
