package dev.regimen.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.core.schedule.SchedulerFactories;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentRegistryTest {

  @Test
  void anUnknownNameListsTheClosestKnownNames() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    ComponentException e = assertThrows(ComponentException.class,
        () -> registry.create(ComponentKind.SCHEDULER, "early_stoping", Map.of()));
    assertTrue(e.getMessage().startsWith("Unknown scheduler 'early_stoping'. Did you mean: early_stopping?"),
        e.getMessage());
  }

  @Test
  void aNameClashNamesBothOrigins() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    ComponentException e = assertThrows(ComponentException.class,
        () -> registry.register(SchedulerFactories.all().get(0), "plugin 'extras'"));
    assertEquals("Two components are named scheduler 'early_stopping': one from built-in, one from plugin 'extras'",
        e.getMessage());
  }

  @Test
  void distanceIsLevenshtein() {
    assertEquals(3, ComponentRegistry.distance("kitten", "sitting"));
    assertEquals(0, ComponentRegistry.distance("relu", "relu"));
  }
}
