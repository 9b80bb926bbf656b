package dev.regimen.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example script in this folder, run through the launcher's entry point in smoke mode
 * ({@code --set smoke=true}: one short epoch on a subset) with the plugin families loaded from
 * their jars, as {@code regimen run} does. A script that fails fails the build.
 */
class ScriptsSmokeTest {
  private static final Path SCRIPTS = Path.of(System.getProperty("regimen.scripts.dir", "."));
  private static final Path PLUGINS = Path.of(System.getProperty("regimen.test.plugins"));

  static List<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".py")).sorted()
          .toList();
      assertTrue(found.size() >= 2, "no scripts found in " + SCRIPTS.toAbsolutePath());
      return found;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void runsInSmokeMode(Path script, @TempDir Path out) throws IOException {
    int exit = Main.execute("run", script.toString(), "--set", "smoke=true", "--plugins", PLUGINS.toString(),
        "--out", out.toString(), "--no-progress");
    assertEquals(0, exit, script + " failed; see the output above");
    try (Stream<Path> runs = Files.list(out)) {
      Path run = runs.findFirst().orElseThrow();
      assertTrue(Files.exists(run.resolve("report.html")), "no report in " + run);
      assertTrue(Files.exists(run.resolve("metrics.csv")), "no metrics in " + run);
    }
  }
}
