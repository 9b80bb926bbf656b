package dev.regimen.core.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code distributed} option's values and errors, and the engine lookup without an engine installed. */
class DistributedOptionsTest {
  private static final String WHERE = "Option 'distributed' of rg.trainer";

  @Test
  void defaultsAreTwoWorkersWithGradientSyncAndCamelCaseKeysAreAccepted() {
    DistributedOptions options = DistributedOptions.fromMap(Map.of("engine", "spark"), WHERE);
    assertEquals(new DistributedOptions("spark", null, 2, DistributedOptions.Sync.GRADIENTS, 1), options);
    assertNull(options.master());

    DistributedOptions average = DistributedOptions.fromMap(Map.of("engine", "spark", "master", "local[4]",
        "workers", 4, "sync", "average", "every", 8), WHERE);
    assertEquals(Map.of("engine", "spark", "master", "local[4]", "workers", 4, "sync", "average", "every", 8),
        average.describe());
  }

  @Test
  void badValuesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistributedOptions.fromMap(Map.of("engine", "spark", "wrokers", 2), WHERE));
    assertEquals(WHERE + " has no key 'wrokers'. Known keys: engine, master, workers, sync, every", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> DistributedOptions.fromMap(Map.of("engine", "spark", "workers", 0), WHERE));
    assertEquals("distributed.workers must be at least 1. Received: workers=0", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> DistributedOptions.fromMap(Map.of("engine", "spark", "every", 4), WHERE));
    assertTrue(e.getMessage().contains("Received: sync='gradients', every=4"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> DistributedOptions.fromMap(Map.of("workers", 2), WHERE));
    assertTrue(e.getMessage().contains("needs an engine"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> DistributedOptions.fromMap(Map.of("engine", "spark", "workers", 1.5), WHERE));
    assertTrue(e.getMessage().contains("distributed.workers must be an integer. Received: workers=1.5"), e.getMessage());
  }

  @Test
  void withoutTheAddOnTheEngineIsAnErrorThatSaysWhatToInstall() {
    assertEquals(List.of(), DistributedEngines.installed());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistributedEngines.require("spark", "The trainer option distributed.engine"));
    assertTrue(e.getMessage().startsWith("The trainer option distributed.engine asks for engine 'spark', but no"
        + " distributed engine is installed; install the Spark add-on (unpack regimen-<version>-spark-addon"),
        e.getMessage());
  }

  @Test
  void componentOptionsMustBePlainData() {
    assertEquals(Map.of("lr", 0.001, "betas", List.of(0.9, 0.999)),
        ComponentSpec.of("adam", Map.of("lr", 0.001, "betas", List.of(0.9, 0.999)), "the optimizer").options());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ComponentSpec.of("distill", Map.of("teacher", new Object()), "the loss"));
    assertTrue(e.getMessage().contains("the loss 'distill'") && e.getMessage().contains("option 'teacher'"),
        e.getMessage());
  }
}
