package dev.regimen.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every experiment in {@code experiments/} (one script per claim of a paper), run in smoke mode as
 * {@link ScriptsSmokeTest} runs the examples, and checked for what an experiment must leave behind: a
 * header that states its claim, its paper and its setting, and a table with intervals ({@code
 * summary.csv} of its {@code rg.sweep}, with at least one row of numbers) next to the run's report.
 */
class ExperimentsSmokeTest {
  private static final Path EXPERIMENTS =
      Path.of(System.getProperty("regimen.scripts.dir", ".")).resolve("experiments");
  private static final Path PLUGINS = Path.of(System.getProperty("regimen.test.plugins"));

  static List<Path> experiments() throws IOException {
    try (Stream<Path> files = Files.list(EXPERIMENTS)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".py")).sorted()
          .toList();
      assertFalse(found.isEmpty(), "no experiments found in " + EXPERIMENTS.toAbsolutePath());
      return found;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void statesItsClaimPaperAndSetting(Path script) throws IOException {
    String text = Files.readString(script, StandardCharsets.UTF_8);
    for (String field : List.of("Claim:", "Paper:", "Setting:")) {
      assertTrue(text.contains(field), script + " does not state its " + field);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void runsInSmokeModeAndWritesATable(Path script, @TempDir Path out) throws IOException {
    int exit = Main.execute("run", script.toString(), "--set", "smoke=true", "--plugins", PLUGINS.toString(),
        "--out", out.toString(), "--no-progress");
    assertEquals(0, exit, script + " failed; see the output above");
    Path run;
    try (Stream<Path> runs = Files.list(out)) {
      run = runs.findFirst().orElseThrow();
    }
    assertTrue(Files.exists(run.resolve("report.html")), "no report in " + run);
    List<Path> tables;
    try (Stream<Path> files = Files.walk(run)) {
      tables = files.filter(f -> f.getFileName().toString().equals("summary.csv")).toList();
    }
    assertEquals(1, tables.size(), "expected one summary.csv in " + run + ", found " + tables);
    List<String> rows = Files.readAllLines(tables.get(0), StandardCharsets.UTF_8);
    assertEquals("config,metric,n,mean,std,ci95_low,ci95_high", rows.get(0));
    assertTrue(rows.size() > 1, "summary.csv has no rows: " + tables.get(0));
    assertTrue(Files.exists(tables.get(0).resolveSibling("report.html")), "no sweep report next to " + tables.get(0));
    // A failed call of the sweep is recorded, not thrown: the run finishes, so look for it.
    List<String> failed = Files.readAllLines(tables.get(0).resolveSibling("runs.csv"), StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(",failed,")).toList();
    assertEquals(List.of(), failed, "runs of " + script + " failed");
  }
}
