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
import dev.regimen.testkit.PluginContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the plugin host relies on: one indexed {@code @Extension} factory per component, made by name. */
class NormalizationPluginTest extends PluginContract {
  private static final List<ComponentFactory<Layer>> FACTORIES = List.of(
      new BatchNorm.Factory(), new LayerNorm.Factory(), new InstanceNorm.Factory(), new GroupNorm.Factory());

  NormalizationPluginTest() {
    super(NormalizationPlugin.class, Map.of("batchnorm", ComponentKind.LAYER, "layernorm", ComponentKind.LAYER, "instancenorm", ComponentKind.LAYER,
        "groupnorm", ComponentKind.LAYER, "batchnorm.ghost", ComponentKind.LAYER, "weight_standardization", ComponentKind.LAYER));
  }

  /** Group norm has no default number of groups, ghost batch norm no default ghost batch size,
   * weight standardization (a convolution) no default filters and kernel. */
  @Override
  protected Map<String, ?> options(String component) {
    return switch (component) {
      case "groupnorm" -> Map.of("groups", 2);
      case "batchnorm.ghost" -> Map.of("virtual_batch_size", 4);
      case "weight_standardization" -> Map.of("filters", 2, "kernel_size", 3);
      default -> Map.of();
    };
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
