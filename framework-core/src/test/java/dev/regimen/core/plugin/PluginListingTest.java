package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginState;

class PluginListingTest {
  private static final PluginInfo SCALE = new PluginInfo("scale", "1.2.0", PluginState.STARTED, "Scales things", "",
      Path.of("plugins", "scale-1.2.0.jar"), ">=0.1.0", List.of(),
      List.of(new ComponentRef(ComponentKind.LAYER, "scale"), new ComponentRef(ComponentKind.METRIC, "gain")));

  @Test
  void pluginsTableHasARowPerPluginAndThenTheProblems() {
    PluginFailure corrupt = new PluginFailure(Path.of("plugins", "corrupt.jar"), null, "is not a readable jar file");
    PluginFailure twin = new PluginFailure(Path.of("plugins", "twin-1.0.0.jar"), "twin", "two components are named x");
    assertEquals("""
        ID     VERSION  STATE    REQUIRES  COMPONENTS                DESCRIPTION
        scale  1.2.0    STARTED  >=0.1.0   layer scale, metric gain  Scales things

        2 problems:
        FILE            PLUGIN  REASON
        corrupt.jar     -       is not a readable jar file
        twin-1.0.0.jar  twin    two components are named x
        """, PluginListing.pluginsTable(List.of(SCALE), List.of(corrupt, twin)));
  }

  @Test
  void pluginsTableSaysWhenThereAreNone() {
    assertEquals("No plugins loaded.\n", PluginListing.pluginsTable(List.of(), List.of()));
    PluginInfo empty = new PluginInfo("lib", "0.1.0", PluginState.DISABLED, null, null, Path.of("lib.jar"), null,
        List.of("scale?"), List.of());
    String table = PluginListing.pluginsTable(List.of(empty), List.of());
    assertTrue(table.contains("lib  0.1.0    DISABLED  *         none"), table);
  }

  @Test
  void componentsTableListsOptionsWithTypeDefaultAndAllowedValues() {
    ComponentInfo dropout = new ComponentInfo(ComponentKind.LAYER, "dropout", "Inverted dropout", "plugin 'dropout'",
        List.of(
            new ComponentInfo.Option("rate", OptionType.DOUBLE, 0.5, false, "[0, 1)", "probability of dropping a unit"),
            new ComponentInfo.Option("mode", OptionType.STRING, null, true, "one of inverted, classic", "how to scale")));
    ComponentInfo accuracy = new ComponentInfo(ComponentKind.METRIC, "accuracy", "Fraction right", "built-in", List.of());
    assertEquals("""
        KIND    NAME      ORIGIN            OPTION  TYPE    DEFAULT   DESCRIPTION                     ALLOWED
        layer   dropout   plugin 'dropout'                            Inverted dropout
                                            rate    double  0.5       probability of dropping a unit  [0, 1)
                                            mode    string  required  how to scale                    one of inverted, classic
        metric  accuracy  built-in                                    Fraction right
        """, PluginListing.componentsTable(List.of(dropout, accuracy), null));
    String metrics = PluginListing.componentsTable(List.of(dropout, accuracy), ComponentKind.METRIC);
    assertTrue(metrics.contains("accuracy") && !metrics.contains("dropout"), metrics);
    assertEquals("No optimizer components.\n",
        PluginListing.componentsTable(List.of(dropout, accuracy), ComponentKind.OPTIMIZER));
  }

  @Test
  void componentsTableOfAHostShowsTheBuiltInsOptions(@TempDir Path empty) {
    try (PluginHost host = PluginHost.load(empty)) {
      String layers = PluginListing.componentsTable(host, ComponentKind.LAYER);
      assertTrue(layers.lines().anyMatch(l -> l.matches("layer +dense +built-in +.*")), layers);
      assertTrue(layers.lines().anyMatch(l -> l.matches(" +units +int +required +number of output features +>= 1")),
          layers);
      assertTrue(layers.lines().anyMatch(l -> l.matches(" +use_bias +boolean +true +.*")), layers);
      assertFalse(layers.contains("adam"), layers);
      assertTrue(PluginListing.componentsTable(host, null).contains("adam"));
      assertTrue(PluginListing.pluginsTable(host).startsWith("No plugins loaded."));
    }
  }
}
