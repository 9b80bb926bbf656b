package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.BatchStatistics;
import dev.regimen.api.nn.Layer;
import dev.regimen.core.registry.ComponentRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;
import org.pf4j.Plugin;

/** What the plugin host relies on: one indexed {@code @Extension} factory per component, made by name. */
class NormalizationPluginTest {
  private static final List<ComponentFactory<Layer>> FACTORIES = List.of(
      new BatchNorm.Factory(), new LayerNorm.Factory(), new InstanceNorm.Factory(), new GroupNorm.Factory());

  @Test
  void everyFactoryIsAnIndexedExtensionForALayerWithItsName() throws IOException {
    Set<String> indexed = new HashSet<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        indexed.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")));
      }
    }
    assertEquals(List.of("batchnorm", "layernorm", "instancenorm", "groupnorm"),
        FACTORIES.stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Layer> factory : FACTORIES) {
      assertEquals(ComponentKind.LAYER, factory.kind(), factory.name());
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      assertTrue(indexed.contains(factory.getClass().getName()), factory.getClass().getName() + " is in extensions.idx");
    }
    assertTrue(Plugin.class.isAssignableFrom(NormalizationPlugin.class));
  }

  @Test
  void aRegistryMakesTheLayersByNameAndListsTheKnownOptionsOfAnUnknownOne() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(FACTORIES, "normalization");
    Layer bn = registry.create(ComponentKind.LAYER, "batchnorm", Map.of("momentum", 0.01));
    assertInstanceOf(BatchStatistics.class, bn, "batch norm takes part in precise re-estimation");
    assertEquals("groupnorm", registry.<Layer>create(ComponentKind.LAYER, "groupnorm", Map.of("groups", 2)).type());

    ComponentException e = assertThrows(ComponentException.class,
        () -> registry.create(ComponentKind.LAYER, "layernorm", Map.of("axis", -1)));
    assertTrue(e.getMessage().contains("normalized_dims, epsilon, affine"), e.getMessage());
  }
}
