package dev.regimen.core.plugin;

import dev.regimen.core.testing.PluginJarBuilder;
import dev.regimen.core.testing.PluginJarBuilder.Compiled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Compiles the fixture plugins' sources in {@code src/test/plugin-fixtures} (see its README) once. */
final class PluginFixtures {
  /** Relative to the module folder, which is where Surefire runs tests. */
  static final Path SOURCES = Path.of("src", "test", "plugin-fixtures");

  private PluginFixtures() {}

  static Compiled compile(Path workDir) {
    Map<String, String> sources = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String relative = SOURCES.relativize(f).toString().replace('\\', '/');
        sources.put(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'), Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PluginJarBuilder.compile(workDir, sources);
  }
}
