package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Augmenter;
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

class AdversarialPluginTest {

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, AdversarialPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsOneFactoryPerComponent() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(AdversarialPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    List<String> expected = Components.factories().stream().map(f -> f.getClass().getName()).sorted().toList();
    assertEquals(expected, indexed.stream().sorted().toList(), "factories in META-INF/extensions.idx");
  }

  @Test
  void componentsHaveTheirNamesAndKinds() {
    assertEquals(List.of("fgsm", "robust_accuracy"), Components.factories().stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<?> factory : Components.factories()) {
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
    }
    assertEquals(ComponentKind.AUGMENTER, new FgsmTraining.Factory().kind());
    assertEquals(ComponentKind.SCHEDULER, new RobustAccuracy.Factory().kind());
    assertInstanceOf(Augmenter.class, Components.create("fgsm", Map.of()));
    assertInstanceOf(Scheduler.class, Components.create("robust_accuracy", Map.of()));
  }
}
