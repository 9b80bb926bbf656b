package dev.regimen.plugins.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.train.Scheduler;
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

class DiagnosticsPluginTest {
  private static final List<ComponentFactory<Scheduler>> FACTORIES =
      List.of(new VarianceShift.Factory(), new ActivationStats.Factory(), new WeightStats.Factory());

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, DiagnosticsPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsTheThreeFactories() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(DiagnosticsPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    List<String> expected = FACTORIES.stream().map(f -> f.getClass().getName()).sorted().toList();
    assertEquals(expected, indexed.stream().sorted().toList(), "factories in META-INF/extensions.idx");
  }

  @Test
  void componentsAreSchedulersWithTheirNamesAndMakeThemWithDefaults() {
    assertEquals(List.of("variance_shift", "activation_stats", "weight_stats"),
        FACTORIES.stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Scheduler> factory : FACTORIES) {
      assertEquals(ComponentKind.SCHEDULER, factory.kind(), factory.name());
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      assertInstanceOf(Diagnostic.class, factory.create(Map.of()), factory.name());
      List<String> options = factory.options().stream().map(OptionSpec::name).toList();
      assertEquals(List.of("every", "epochs"), options.subList(0, 2), factory.name());
    }
  }
}
