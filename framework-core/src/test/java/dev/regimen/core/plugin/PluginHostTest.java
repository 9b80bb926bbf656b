package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.testing.PluginJarBuilder;
import dev.regimen.core.testing.PluginJarBuilder.Compiled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pf4j.PluginState;

/** Plugins that load: made by name, run, in dependency order, from jars and zips, and closed. */
class PluginHostTest {
  @TempDir
  static Path work;
  static Compiled classes;

  @TempDir
  Path plugins;

  @BeforeAll
  static void compileFixtures() {
    classes = PluginFixtures.compile(work);
  }

  private static PluginJarBuilder scale() {
    return PluginJarBuilder.plugin("scale").version("1.2.0").requires(">=0.1.0").description("Scales things")
        .provider("Fixtures Inc.").pluginClass("fixture.scale.ScalePlugin").packageFrom(classes, "fixture.scale");
  }

  private static float[] run(Layer layer, float... x) {
    Tensor out = layer.forward(Tensor.of(x, 1, x.length), ForwardContext.evaluation());
    return out.array().reshape(x.length).toFloatVector();
  }

  @Test
  void theAnnotationProcessorIndexedTheFixtures() {
    assertTrue(classes.extensions().contains("fixture.scale.ScaleFactory"), classes.extensions().toString());
  }

  @Test
  void aMissingFolderMeansBuiltInsOnly() {
    try (PluginHost host = PluginHost.load(plugins.resolve("absent"))) {
      assertEquals(List.of(), host.plugins());
      assertEquals(List.of(), host.failures());
      assertTrue(host.registry().contains(ComponentKind.LAYER, "relu"));
      assertEquals(PluginHost.BUILT_IN, host.registry().entries(ComponentKind.LAYER).get(0).origin());
    }
  }

  @Test
  void aPluginLayerIsMadeByNameAndRuns() {
    Path jar = scale().writeJar(plugins);
    try (PluginHost host = PluginHost.load(plugins)) {
      assertEquals(List.of(), host.failures());
      PluginInfo info = host.plugin("scale").orElseThrow();
      assertEquals(new PluginInfo("scale", "1.2.0", PluginState.STARTED, "Scales things", "Fixtures Inc.", jar,
          ">=0.1.0", List.of(), List.of(new ComponentRef(ComponentKind.LAYER, "fixture.scale"))), info);

      ComponentRegistry.Entry entry = host.registry().entries(ComponentKind.LAYER).stream()
          .filter(e -> e.factory().name().equals("fixture.scale")).findFirst().orElseThrow();
      assertEquals("plugin 'scale'", entry.origin());
      Layer layer = host.registry().create(ComponentKind.LAYER, "fixture.scale", Map.of("factor", 3.0));
      assertArrayEquals(new float[] {3, -6, 1.5f}, run(layer, 1, -2, 0.5f));
      // The plugin's options are validated like a built-in's.
      ComponentException e = assertThrows(ComponentException.class,
          () -> host.registry().create(ComponentKind.LAYER, "fixture.scale", Map.of("factor", 11)));
      assertTrue(e.getMessage().contains("Received: factor=11"), e.getMessage());
    }
  }

  @Test
  void dependenciesLoadFirstWhateverTheFileNames() {
    scale().writeJar(plugins, "z-scale.jar");
    PluginJarBuilder.plugin("shift").dependencies("scale@>=1.0.0").packageFrom(classes, "fixture.shift")
        .writeJar(plugins, "a-shift.jar");
    try (PluginHost host = PluginHost.load(plugins)) {
      assertEquals(List.of(), host.failures());
      assertEquals(List.of("scale@>=1.0.0"), host.plugin("shift").orElseThrow().dependencies());
      Layer shift = host.registry().create(ComponentKind.LAYER, "fixture.shift", Map.of("offset", 0.5));
      assertArrayEquals(new float[] {1.5f, -1.5f}, run(shift, 1, -2)); // calls a class of plugin 'scale'
    }
  }

  @Test
  void anOptionalDependencyMayBeAbsent() {
    scale().dependencies("extras?").writeJar(plugins);
    try (PluginHost host = PluginHost.load(plugins)) {
      assertEquals(List.of(), host.failures());
      assertEquals(List.of("extras?"), host.plugin("scale").orElseThrow().dependencies());
    }
  }

  @Test
  void aZipPluginLoadsFromAPrivateFolderThatCloseDeletes() throws IOException {
    scale().writeZip(plugins);
    Path unpacked;
    try (PluginHost host = PluginHost.load(plugins)) {
      assertEquals(List.of(), host.failures());
      assertTrue(host.registry().contains(ComponentKind.LAYER, "fixture.scale"));
      assertEquals("scale-1.2.0.zip", host.plugin("scale").orElseThrow().fileName());
      try (Stream<Path> files = Files.list(plugins)) {
        assertEquals(List.of("scale-1.2.0.zip"), files.map(p -> p.getFileName().toString()).toList(),
            "the plugins folder is left as it was");
      }
      unpacked = unpackDirOf(host);
      assertTrue(Files.isDirectory(unpacked));
    }
    assertFalse(Files.exists(unpacked));
  }

  private static Path unpackDirOf(PluginHost host) {
    try {
      var field = PluginHost.class.getDeclaredField("unpackDir");
      field.setAccessible(true);
      return (Path) field.get(host);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void closeStopsThePlugins() {
    scale().writeJar(plugins);
    try {
      PluginHost host = PluginHost.load(plugins);
      assertEquals("started", System.getProperty("fixture.scale.state"));
      host.close();
      assertEquals("stopped", System.getProperty("fixture.scale.state"));
      host.close(); // twice is harmless
    } finally {
      System.clearProperty("fixture.scale.state");
    }
  }

  @Test
  void theSystemVersionDropsItsPreRelease() {
    scale().requires(">=0.1.0").writeJar(plugins);
    try (PluginHost host = PluginHost.builder().pluginsDir(plugins).systemVersion("0.1.0-SNAPSHOT").load()) {
      assertEquals("0.1.0", host.systemVersion());
      assertEquals(List.of(), host.failures());
    }
  }

  @Test
  void aSystemVersionThatIsNotSemanticIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginHost.builder().pluginsDir(plugins).systemVersion("dev").load());
    assertTrue(e.getMessage().contains("Received: dev"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "0.1.0-SNAPSHOT, 0.1.0",
      "0.2.0-rc.1,     0.2.0",
      "1.0.0+build.7,  1.0.0",
      "1.0.0,          1.0.0",
  })
  void releaseVersionDropsPreReleaseAndBuild(String version, String release) {
    assertEquals(release, PluginHost.releaseVersion(version));
  }

  @Test
  void theSourceVersionMatchesThePom() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
    assertTrue(parent.find());
    assertEquals(parent.group(1), PluginHost.SOURCE_VERSION,
        "keep PluginHost.SOURCE_VERSION in step with the project version");
    assertEquals(PluginHost.SOURCE_VERSION, PluginHost.frameworkVersion(), "no jar says otherwise in tests");
  }

  @Test
  void theDefaultPluginsFolderFollowsTheProperties() {
    try {
      System.setProperty(PluginHost.HOME_PROPERTY, "/opt/regimen");
      assertEquals(Path.of("/opt/regimen", "plugins"), PluginHost.defaultPluginsDir());
      System.setProperty(PluginHost.PLUGINS_DIR_PROPERTY, "/srv/plugins");
      assertEquals(Path.of("/srv/plugins"), PluginHost.defaultPluginsDir());
    } finally {
      System.clearProperty(PluginHost.HOME_PROPERTY);
      System.clearProperty(PluginHost.PLUGINS_DIR_PROPERTY);
    }
    assertEquals(Path.of("plugins"), PluginHost.defaultPluginsDir(), "classes run from a folder, not a lib/ jar");
  }

  @Test
  void theBuiltInsCoverEveryKindThatHasOne() {
    try (PluginHost host = PluginHost.load(plugins)) {
      Set<ComponentKind> kinds = host.components().stream().map(ComponentInfo::kind).collect(Collectors.toSet());
      assertEquals(EnumSet.of(ComponentKind.LAYER, ComponentKind.INITIALIZER, ComponentKind.OBJECTIVE,
          ComponentKind.OPTIMIZER, ComponentKind.SCHEDULER, ComponentKind.METRIC), kinds);
      assertEquals(PluginHost.builtInFactories().size(), host.components().size());
      assertTrue(host.components().stream().allMatch(c -> c.origin().equals(PluginHost.BUILT_IN)));
    }
  }
}
