package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.testing.PluginJarBuilder;
import dev.regimen.core.testing.PluginJarBuilder.Compiled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pf4j.PluginState;

/**
 * Every way a plugin file can be broken: each is reported with its file and reason, and the good
 * plugin beside it still loads and runs; then all of them at once in one folder.
 */
class BrokenPluginsTest {
  @TempDir
  static Path work;
  static Compiled classes;

  @TempDir
  Path plugins;

  @BeforeAll
  static void compileFixtures() {
    classes = PluginFixtures.compile(work);
  }

  @AfterEach
  void forgetScalePluginState() {
    System.clearProperty("fixture.scale.state");
  }

  /** A failure that must be reported: the file's name and a part of the reason. */
  record Expected(String file, String reason) {}

  /**
   * A broken plugin folder's contribution: what to write, which failures it causes, and which of its
   * components must still be registered (as {@code plugin 'id'}) or must not.
   */
  record Case(String name, Consumer<Path> write, List<Expected> failures, Map<String, String> registered,
      List<String> rejected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("corrupt jar", dir -> PluginJarBuilder.writeCorrupt(dir, "corrupt-1.0.0.jar", 1),
        List.of(new Expected("corrupt-1.0.0.jar", "is not a readable jar file")), Map.of(), List.of()));
    cases.add(new Case("corrupt zip", dir -> PluginJarBuilder.writeCorrupt(dir, "corrupt-2.0.0.zip", 2),
        List.of(new Expected("corrupt-2.0.0.zip", "is not a readable zip file")), Map.of(), List.of()));
    cases.add(new Case("empty file", dir -> write(dir.resolve("empty.jar"), new byte[0]),
        List.of(new Expected("empty.jar", "is not a readable jar file")), Map.of(), List.of()));
    cases.add(new Case("no descriptor",
        dir -> PluginJarBuilder.plugin("plain").withoutDescriptor().packageFrom(classes, "fixture.ghost").writeJar(dir),
        List.of(new Expected("plain-1.0.0.jar", "has no Plugin-Id in its manifest")), Map.of(), List.of()));
    cases.add(new Case("no manifest at all",
        dir -> PluginJarBuilder.plugin("bare").withoutDescriptor().packageFrom(classes, "fixture.ghost")
            .writeZip(dir, "bare-1.0.0.jar"),
        List.of(new Expected("bare-1.0.0.jar", "has no plugin descriptor")), Map.of(), List.of()));
    cases.add(new Case("zip without plugin.properties",
        dir -> PluginJarBuilder.plugin("barezip").withoutDescriptor().packageFrom(classes, "fixture.ghost").writeZip(dir),
        List.of(new Expected("barezip-1.0.0.zip", "has no plugin descriptor")), Map.of(), List.of()));
    cases.add(new Case("Plugin-Class missing",
        dir -> PluginJarBuilder.plugin("noclass").pluginClass("fixture.nowhere.MissingPlugin").writeJar(dir),
        List.of(new Expected("noclass-1.0.0.jar", "its Plugin-Class 'fixture.nowhere.MissingPlugin' is not in the plugin")),
        Map.of(), List.of()));
    cases.add(new Case("Plugin-Class not a plugin",
        dir -> PluginJarBuilder.plugin("wrongclass").pluginClass("fixture.scale.Arith")
            .packageFrom(classes, "fixture.scale").writeJar(dir),
        List.of(new Expected("wrongclass-1.0.0.jar", "its Plugin-Class 'fixture.scale.Arith' does not extend org.pf4j.Plugin")),
        Map.of(), List.of()));
    cases.add(new Case("index names a missing class",
        dir -> PluginJarBuilder.plugin("ghost").packageFrom(classes, "fixture.ghost")
            .extensionsIndex("fixture.ghost.GhostFactory", "fixture.ghost.Vanished").writeJar(dir),
        List.of(new Expected("ghost-1.0.0.jar",
            "META-INF/extensions.idx names class 'fixture.ghost.Vanished', which is not in the plugin")),
        Map.of("fixture.ghost", "plugin 'ghost'"), List.of()));
    cases.add(new Case("incompatible Plugin-Requires",
        dir -> PluginJarBuilder.plugin("future").requires(">=99.0.0").packageFrom(classes, "fixture.twina").writeJar(dir),
        List.of(new Expected("future-1.0.0.jar", "needs Regimen >=99.0.0 (Plugin-Requires) but this is Regimen 0.1.0")),
        Map.of(), List.of("fixture.twin")));
    cases.add(new Case("dependency absent",
        dir -> PluginJarBuilder.plugin("orphan").dependencies("absent").writeJar(dir),
        List.of(new Expected("orphan-1.0.0.jar", "depends on plugin 'absent', which is not installed in")),
        Map.of(), List.of()));
    cases.add(new Case("dependency failed", dir -> {
      PluginJarBuilder.plugin("doomed").requires("99.0.0").writeJar(dir);
      PluginJarBuilder.plugin("hopeful").dependencies("doomed").writeJar(dir);
    }, List.of(
        new Expected("doomed-1.0.0.jar", "needs Regimen 99.0.0 (Plugin-Requires)"),
        new Expected("hopeful-1.0.0.jar", "depends on plugin 'doomed', which failed to load (see its own entry)")),
        Map.of(), List.of()));
    cases.add(new Case("dependency too old",
        dir -> PluginJarBuilder.plugin("picky").dependencies("scale@>=2.0.0").writeJar(dir),
        List.of(new Expected("picky-1.0.0.jar", "depends on plugin 'scale' >=2.0.0, but version 1.2.0 is installed")),
        Map.of(), List.of()));
    cases.add(new Case("dependency cycle", dir -> {
      PluginJarBuilder.plugin("hen").dependencies("egg").writeJar(dir);
      PluginJarBuilder.plugin("egg").dependencies("hen").writeJar(dir);
    }, List.of(
        new Expected("egg-1.0.0.jar", "is part of a dependency cycle: egg -> hen -> egg"),
        new Expected("hen-1.0.0.jar", "is part of a dependency cycle: egg -> hen -> egg")),
        Map.of(), List.of()));
    cases.add(new Case("version not semantic",
        dir -> PluginJarBuilder.plugin("sloppy").version("1.0").writeJar(dir),
        List.of(new Expected("sloppy-1.0.jar", "its Plugin-Version '1.0' is not a semantic version")),
        Map.of(), List.of()));
    cases.add(new Case("one id, two files", dir -> {
      PluginJarBuilder.plugin("dup").version("1.0.0").writeJar(dir);
      PluginJarBuilder.plugin("dup").version("2.0.0").writeJar(dir);
    }, List.of(
        new Expected("dup-1.0.0.jar", "plugin id 'dup' is used by 2 files: dup-1.0.0.jar (1.0.0), dup-2.0.0.jar (2.0.0)"),
        new Expected("dup-2.0.0.jar", "plugin id 'dup' is used by 2 files")),
        Map.of(), List.of()));
    cases.add(new Case("factory constructor throws",
        dir -> PluginJarBuilder.plugin("throwing").packageFrom(classes, "fixture.throwing").writeJar(dir),
        List.of(new Expected("throwing-1.0.0.jar",
            "component factory 'fixture.throwing.BrokenFactory' failed in its constructor: IllegalStateException: needs a GPU")),
        Map.of("fixture.square", "plugin 'throwing'"), List.of("fixture.broken")));
    cases.add(new Case("two plugins, one name", dir -> {
      PluginJarBuilder.plugin("twina").packageFrom(classes, "fixture.twina").writeJar(dir);
      PluginJarBuilder.plugin("twinb").packageFrom(classes, "fixture.twinb").writeJar(dir);
    }, List.of(
        new Expected("twina-1.0.0.jar", "two components are named layer 'fixture.twin': plugin 'twina' (twina-1.0.0.jar,"
            + " fixture.twina.TwinFactory) and plugin 'twinb' (twinb-1.0.0.jar, fixture.twinb.TwinFactory);"
            + " neither is registered"),
        new Expected("twinb-1.0.0.jar", "two components are named layer 'fixture.twin': plugin 'twina'")),
        Map.of(), List.of("fixture.twin")));
    cases.add(new Case("a built-in's name",
        dir -> PluginJarBuilder.plugin("impostor").packageFrom(classes, "fixture.relu").writeJar(dir),
        List.of(new Expected("impostor-1.0.0.jar", "layer 'relu' is a built-in component; a plugin cannot replace it")),
        Map.of("relu", PluginHost.BUILT_IN), List.of()));
    cases.add(new Case("start throws",
        dir -> PluginJarBuilder.plugin("crash").pluginClass("fixture.crash.CrashPlugin")
            .packageFrom(classes, "fixture.crash").writeJar(dir),
        List.of(new Expected("crash-1.0.0.jar", "failed to start: IllegalStateException: cannot open its model file")),
        Map.of(), List.of("fixture.crash")));
    cases.add(new Case("no extension index",
        dir -> PluginJarBuilder.plugin("silent").packageFrom(classes, "fixture.twinb").withoutExtensionsIndex()
            .writeJar(dir),
        List.of(new Expected("silent-1.0.0.jar", "contributes no components: it has no META-INF/extensions.idx")),
        Map.of(), List.of()));
    return cases;
  }

  private static PluginJarBuilder scale() {
    return PluginJarBuilder.plugin("scale").version("1.2.0").pluginClass("fixture.scale.ScalePlugin")
        .packageFrom(classes, "fixture.scale");
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isReportedWithFileAndReasonWhileTheOthersLoad(Case c) {
    scale().writeJar(plugins);
    c.write().accept(plugins);
    try (PluginHost host = PluginHost.builder().pluginsDir(plugins).systemVersion("0.1.0").load()) {
      assertReported(host, c.failures());
      assertEquals(c.failures().size(), host.failures().size(), () -> "unexpected failures: " + host.failures());
      assertLoads(host, c);
      assertEquals(PluginState.STARTED, host.plugin("scale").orElseThrow().state());
      assertScaleRuns(host.registry());
    }
  }

  @Test
  void allAtOnceInOneFolder() {
    scale().writeJar(plugins);
    PluginJarBuilder.plugin("shift").dependencies("scale").packageFrom(classes, "fixture.shift").writeJar(plugins);
    List<Case> cases = cases();
    for (Case c : cases) {
      c.write().accept(plugins);
    }
    try (PluginHost host = PluginHost.builder().pluginsDir(plugins).systemVersion("0.1.0").load()) {
      List<Expected> expected = cases.stream().flatMap(c -> c.failures().stream()).toList();
      assertReported(host, expected);
      assertEquals(expected.size(), host.failures().size(), () -> "unexpected failures: " + host.failures());
      for (Case c : cases) {
        assertLoads(host, c);
      }
      assertEquals(List.of("ghost", "impostor", "scale", "shift", "silent", "throwing", "twina", "twinb"),
          host.plugins().stream().map(PluginInfo::id).toList());
      assertScaleRuns(host.registry());
      Layer shift = host.registry().create(ComponentKind.LAYER, "fixture.shift", Map.of());
      Tensor out = shift.forward(Tensor.of(new float[] {1, 2}, 1, 2), ForwardContext.evaluation());
      assertArrayEquals(new float[] {2, 3}, out.array().reshape(2).toFloatVector());
    }
    assertEquals("stopped", System.getProperty("fixture.scale.state"));
  }

  private static void assertReported(PluginHost host, List<Expected> expected) {
    for (Expected e : expected) {
      assertTrue(host.failures().stream().anyMatch(f -> f.fileName().equals(e.file()) && f.reason().contains(e.reason())),
          () -> "no failure for " + e.file() + " saying '" + e.reason() + "' in:\n"
              + host.failures().stream().map(PluginFailure::toString).collect(Collectors.joining("\n")));
    }
  }

  private static void assertLoads(PluginHost host, Case c) {
    ComponentRegistry registry = host.registry();
    c.registered().forEach((name, origin) -> {
      ComponentRegistry.Entry entry = registry.entries(ComponentKind.LAYER).stream()
          .filter(x -> x.factory().name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
      assertEquals(origin, entry.origin(), name);
    });
    for (String name : c.rejected()) {
      assertFalse(registry.contains(ComponentKind.LAYER, name), name);
    }
  }

  private static void assertScaleRuns(ComponentRegistry registry) {
    Layer scale = registry.create(ComponentKind.LAYER, "fixture.scale", Map.of());
    Tensor out = scale.forward(Tensor.of(new float[] {1, -1}, 1, 2), ForwardContext.evaluation());
    assertArrayEquals(new float[] {2, -2}, out.array().reshape(2).toFloatVector());
  }

  @Test
  void failuresReadAsOneLineEach() {
    PluginJarBuilder.writeCorrupt(plugins, "corrupt.jar", 3);
    try (PluginHost host = PluginHost.load(plugins)) {
      String line = host.failures().get(0).toString();
      assertTrue(line.startsWith("corrupt.jar: is not a readable jar file ("), line);
      assertFalse(line.contains("\n"), line);
      assertNull(host.failures().get(0).pluginId());
    }
  }
}
