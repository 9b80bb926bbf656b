package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.check.Finding;
import dev.regimen.core.testing.PluginJarBuilder;
import dev.regimen.core.testing.PluginJarBuilder.Compiled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regimen plugins --check}: a good jar passes, and each broken one is told apart by its message. */
class PluginCheckTest {
  @TempDir
  static Path work;
  static Compiled classes;

  @TempDir
  Path installed;
  @TempDir
  Path candidates;

  @BeforeAll
  static void compileFixtures() {
    classes = PluginFixtures.compile(work);
  }

  @AfterEach
  void forgetScalePluginState() {
    System.clearProperty("fixture.scale.state");
  }

  private static PluginJarBuilder scale() {
    return PluginJarBuilder.plugin("scale").requires(">=0.1.0").description("Scales its input")
        .pluginClass("fixture.scale.ScalePlugin").packageFrom(classes, "fixture.scale");
  }

  private static List<String> errors(PluginCheck.Report report) {
    return report.errors().stream().map(Finding::message).toList();
  }

  @Test
  void aGoodJarPassesWithEveryCheckSaid() {
    PluginCheck.Report report = PluginCheck.check(scale().writeJar(candidates), installed);
    assertTrue(report.passed(), report.render());
    String text = report.render();
    assertTrue(text.contains("ok     manifest: Plugin-Id scale, Plugin-Version 1.0.0, Plugin-Requires >=0.1.0,"
        + " Plugin-Description Scales its input"), text);
    assertTrue(text.contains("ok     loads and starts beside 0 installed plugins"), text);
    assertTrue(text.contains("ok     layer fixture.scale: 1 option, made with the defaults; forward on [2, 8] -> [2, 8]"
        + " in training and evaluation"), text);
    assertTrue(text.endsWith("OK: the plugin can be dropped into plugins/.\n"), text);
  }

  @Test
  void aJarIsCheckedBesideTheInstalledPluginsItDependsOnAndInPlaceOfItsOwnOlderVersion() throws IOException {
    scale().writeJar(installed);
    scale().version("0.9.0").writeJar(installed); // an older copy of the same id, which the new jar replaces
    Path shift = PluginJarBuilder.plugin("shift").requires(">=0.1.0").description("Shifts")
        .dependencies("scale").packageFrom(classes, "fixture.shift").writeJar(candidates);
    PluginCheck.Report withScale = PluginCheck.check(shift, installed);
    assertFalse(withScale.passed(), "two installed scale plugins: " + withScale.render());

    Files.delete(installed.resolve("scale-0.9.0.jar"));
    PluginCheck.Report report = PluginCheck.check(shift, installed);
    assertTrue(report.passed(), report.render());
    assertTrue(report.render().contains("loads and starts beside 1 installed plugin of "), report.render());

    Path newerScale = scale().version("1.1.0").writeJar(candidates);
    assertTrue(PluginCheck.check(newerScale, installed).passed(), "replaces the installed scale-1.0.0.jar");
    try (Stream<Path> files = Files.list(installed)) {
      assertEquals(List.of("scale-1.0.0.jar"), files.map(p -> p.getFileName().toString()).toList(),
          "the installed plugins are left as they were");
    }
  }

  @Test
  void aMissingDependencyIsAnError() {
    Path shift = PluginJarBuilder.plugin("shift").requires(">=0.1.0").description("Shifts")
        .dependencies("scale").packageFrom(classes, "fixture.shift").writeJar(candidates);
    List<String> errors = errors(PluginCheck.check(shift, installed));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("depends on plugin 'scale', which is not installed in "), errors.get(0));
  }

  @Test
  void aMissingManifestEntryIsNamedWithWhatItIsFor() {
    Path jar = scale().manifestEntry("Plugin-Description", null).writeJar(candidates);
    PluginCheck.Report report = PluginCheck.check(jar, installed);
    assertEquals(List.of("manifest: no Plugin-Description entry (one line for `regimen plugins`)"), errors(report));
    assertTrue(report.render().contains("FAILED: 1 error; fix it before dropping the jar into plugins/."),
        report.render());
  }

  @Test
  void aJarWithoutPluginIdStopsAfterTheManifest() {
    Path jar = scale().manifestEntry("Plugin-Id", null).manifestEntry("Plugin-Requires", null).writeJar(candidates);
    PluginCheck.Report report = PluginCheck.check(jar, installed);
    assertEquals(List.of(
        "manifest: no Plugin-Id entry (the plugin's name in listings and in other plugins' dependencies)",
        "manifest: no Plugin-Requires entry (the framework versions it works with, such as >=0.1.0)"), errors(report));
  }

  @Test
  void aPluginClassThatIsNotThereIsAnError() {
    Path jar = scale().pluginClass("fixture.scale.NoSuchPlugin").writeJar(candidates);
    assertEquals(List.of("its Plugin-Class 'fixture.scale.NoSuchPlugin' is not in the plugin"),
        errors(PluginCheck.check(jar, installed)));
  }

  @Test
  void anExtensionIndexNamingAMissingClassIsAnError() {
    Path jar = PluginJarBuilder.plugin("ghost").requires(">=0.1.0").description("Ghost")
        .packageFrom(classes, "fixture.ghost").extensionsIndex("fixture.ghost.GhostFactory", "fixture.ghost.Vanished")
        .writeJar(candidates);
    List<String> errors = errors(PluginCheck.check(jar, installed));
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("META-INF/extensions.idx names class 'fixture.ghost.Vanished', which is not in the plugin",
        errors.get(0));
    assertEquals("layer fixture.ghost: cannot be made with its default options: UnsupportedOperationException",
        errors.get(1), "the factory that is there is checked too");
  }

  @Test
  void aComponentNamedLikeABuiltInIsAnError() {
    Path jar = PluginJarBuilder.plugin("relu").requires(">=0.1.0").description("Another relu")
        .packageFrom(classes, "fixture.relu").writeJar(candidates);
    List<String> errors = errors(PluginCheck.check(jar, installed));
    assertEquals(List.of("layer 'relu' is a built-in component; a plugin cannot replace it, so this one is not"
        + " registered"), errors);
  }

  @Test
  void aLayerWhoseForwardThrowsIsAnErrorNamingTheInputAndTheException() {
    Path jar = PluginJarBuilder.plugin("badforward").requires(">=0.1.0").description("Broken forward")
        .packageFrom(classes, "fixture.badforward").writeJar(candidates);
    PluginCheck.Report report = PluginCheck.check(jar, installed);
    assertEquals(List.of("layer fixture.badforward: forward on [2, 8] in training failed:"
        + " IllegalStateException: no forward in this fixture"), errors(report));
    assertTrue(report.render().contains("ok     loads and starts beside 0 installed plugins"), report.render());
  }

  @Test
  void aFileThatIsNoJarIsAnError() throws IOException {
    Path jar = candidates.resolve("broken.jar");
    Files.write(jar, new byte[] {1, 2, 3});
    List<String> errors = errors(PluginCheck.check(jar, installed));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("is not a readable jar file ("), errors.get(0));
  }
}
