package dev.regimen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regimen sweep --spark}: each run one Spark task on a local master, its runs real child processes, the
 * sweep folder the one {@code --jobs} writes, a failed task run again by Spark, a failed run recorded.
 */
class SparkSweepTest {
  /** The quickstart script of the repository (the tests run in framework-spark/). */
  private static final Path QUICKSTART = Path.of("..", "scripts", "quickstart.js").toAbsolutePath().normalize();

  @Test
  void theQuickstartSweepOnSparkWritesTheSweepFolderOfJobsTwoWithTheSameNumbers(@TempDir Path dir) throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Outcome spark = sweep("sweep", QUICKSTART.toString(), "--grid", "epochs=1", "--seeds", "1,2", "--spark", "local[2]",
        "--out", dir.resolve("spark").toString(), "--plugins", plugins.toString());
    assertEquals(0, spark.exit(), spark.printed());
    assertTrue(spark.printed().contains("On Apache Spark 4.1.1, Scala 2.13"), spark.printed());
    assertTrue(spark.printed().contains("master local[2]: each run is one Spark task"), spark.printed());
    assertTrue(spark.printed().contains("2 runs: 1 configuration x 2 seeds, 2 at a time"), spark.printed());
    assertTrue(spark.printed().contains("] epochs=1 seed=2: finished in "), spark.printed());
    assertFalse(spark.printed().contains("Spark ran"), "no task failed: " + spark.printed());
    Outcome jobs = sweep("sweep", QUICKSTART.toString(), "--grid", "epochs=1", "--seeds", "1,2", "--jobs", "2",
        "--out", dir.resolve("jobs").toString(), "--plugins", plugins.toString());
    assertEquals(0, jobs.exit(), jobs.printed());

    Path onSpark = only(dir.resolve("spark"));
    Path here = only(dir.resolve("jobs"));
    for (String file : List.of("summary.csv", "runs.csv", "report.html", "sweep.json")) {
      assertTrue(Files.isRegularFile(onSpark.resolve(file)), file);
    }
    List<String> summary = Files.readAllLines(onSpark.resolve("summary.csv"));
    assertEquals(1 + 6, summary.size(), "loss and accuracy, their val_ and test_ twins: " + summary);
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("epochs=1,test_accuracy,2,")), summary.toString());
    // The same runs, so the same numbers to the last digit.
    assertEquals(Files.readAllLines(here.resolve("summary.csv")), summary);
    assertEquals(Files.readAllLines(here.resolve("differences.csv")),
        Files.readAllLines(onSpark.resolve("differences.csv")));
    assertEquals(2, list(onSpark.resolve("runs")).size(), "the run folders are in the sweep folder");
    String record = Files.readString(onSpark.resolve("sweep.json"));
    assertTrue(record.contains("\"status\" : \"finished\"") && record.contains("\"jobs\" : 2")
        && record.contains("\"cluster\" : \"Apache Spark 4.1.1, Scala 2.13"), record);
  }

  @Test
  void aFailedTaskIsRunAgainAndSaidSoAndAFailedRunIsRecorded(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("tiny.js"), String.join("\n",
        "if (rg.param('fail', 0) == 1) { throw new Error('a planned failure'); }",
        "const data = rg.data.synthetic('two_moons', { n: 64, validation: 0.25, test: 0.25 });",
        "const model = rg.sequential([rg.layer('dense', { units: 4 }), rg.layer('tanh'), rg.layer('dense', { units: 2 })]);",
        "const trainer = rg.trainer({ epochs: 1, batchSize: 16, optimizer: rg.optimizer('sgd', { lr: 0.1 }) });",
        "trainer.fit(model, data.train, data.validation);"));
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    JavaSparkContext context = SparkTests.context("local[2,2]"); // two attempts a task; the sweep joins it
    Outcome o;
    try {
      context.setLocalProperty(SparkTraining.FAIL_FIRST_ATTEMPT, "sweep:fail-0-seed1");
      o = sweep("sweep", script.toString(), "--grid", "fail=0,1", "--seeds", "1", "--spark", "local[2,2]", "--out",
          dir.resolve("out").toString(), "--plugins", plugins.toString());
      assertFalse(context.sc().isStopped(), "a joined context is left running");
    } finally {
      context.stop();
    }
    assertEquals(1, o.exit(), "a run failed: " + o.printed());
    assertTrue(o.printed().contains("fail-0-seed1: Spark: attempt 1 on host ")
        && o.printed().contains("the first attempt of this run's task fails; Spark ran the task again"), o.printed());
    assertTrue(o.printed().contains("] fail=0 seed=1: finished in "), o.printed());
    assertTrue(o.printed().contains("] fail=1 seed=1: FAILED"), o.printed());
    assertTrue(o.printed().contains("a planned failure"), o.printed());
    assertTrue(o.printed().contains("Spark ran 1 failed task again"), o.printed());
    assertTrue(o.printed().contains("2 runs: 1 finished, 1 failed"), o.printed());

    Path sweep = only(dir.resolve("out"));
    String log = Files.readString(sweep.resolve("logs").resolve("fail-0-seed1.log"));
    assertTrue(log.contains("Spark: attempt 1 on host") && log.contains("Spark ran the task again"), log);
    String record = Files.readString(sweep.resolve("sweep.json"));
    assertTrue(record.contains("\"status\" : \"finished with failures\"") && record.contains("a planned failure"),
        record);
    assertTrue(Files.readString(sweep.resolve("runs.csv")).contains("failed"), "runs.csv records the failed run");
  }

  @Test
  void jobsAndSparkTogetherAreAUsageError(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("s.js"), "rg.param('epochs', 1);\n");
    Outcome o = sweep("sweep", script.toString(), "--grid", "epochs=1", "--seeds", "1", "--jobs", "2", "--spark",
        "local[2]", "--out", dir.resolve("out").toString());
    assertEquals(2, o.exit());
    assertTrue(o.printed().contains("--jobs 2 and --spark local[2] do not go together"), o.printed());
    assertFalse(Files.exists(dir.resolve("out")), "nothing ran");
  }

  /** What a command printed and how it ended. */
  private record Outcome(int exit, String printed) {}

  /** Runs the command line in this JVM, its console (standard output and error) captured. */
  private static Outcome sweep(String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    int exit;
    try {
      exit = Main.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    out.print(text);
    return new Outcome(exit, text);
  }

  private static Path only(Path parent) throws IOException {
    List<Path> folders = list(parent);
    assertEquals(1, folders.size(), folders.toString());
    return folders.get(0);
  }

  private static List<Path> list(Path parent) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      return s.sorted().toList();
    }
  }
}
