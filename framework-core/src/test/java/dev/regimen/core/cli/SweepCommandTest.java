package dev.regimen.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regimen sweep} end to end, its runs real child processes (a tiny script: 64 samples, one
 * epoch), then the same command again (which has nothing left to run) and {@code regimen compare}.
 */
class SweepCommandTest {

  @Test
  void aTwoByTwoSweepWritesFourRunsTheSummaryAndTheReportAndContinuesWithNothingToDo(@TempDir Path dir)
      throws IOException {
    Path script = Files.writeString(dir.resolve("tiny.js"), String.join("\n",
        "const data = rg.data.synthetic('two_moons', { n: 64, validation: 0.25, test: 0.25 });",
        "const model = rg.sequential([rg.layer('dense', { units: 4 }), rg.layer('tanh'), rg.layer('dense', { units: 2 })]);",
        "const trainer = rg.trainer({ epochs: 1, batchSize: 16, optimizer: rg.optimizer('sgd', { lr: rg.param('lr', 0.1) }) });",
        "trainer.fit(model, data.train, data.validation);",
        "trainer.evaluate(model, data.test);"));
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path out = dir.resolve("sweeps");
    String[] args = {"sweep", script.toString(), "--grid", "lr=0.1,0.5", "--seeds", "1..2", "--jobs", "2", "--out",
        out.toString(), "--plugins", plugins.toString()};
    Cli.Outcome o = Cli.execute(args);
    assertEquals(0, o.exit(), o.out() + o.err());
    assertTrue(o.out().contains("4 runs: 2 configurations x 2 seeds, 2 at a time"), o.out());
    assertTrue(o.out().contains("] lr=0.5 seed=2: finished in "), o.out());
    Path sweep = Cli.onlyRunFolder(out);
    assertTrue(sweep.getFileName().toString().matches("tiny-sweep-\\d{8}-\\d{6}"), sweep.toString());
    assertEquals(4, Cli.runFolders(sweep.resolve("runs")).size());

    List<String> summary = Files.readAllLines(sweep.resolve("summary.csv"));
    assertEquals("config,metric,n,mean,std,ci95_low,ci95_high", summary.get(0));
    assertTrue(summary.contains(summary.stream().filter(l -> l.startsWith("lr=0.5,test_accuracy,2,")).findFirst()
        .orElseThrow()), summary.toString());
    assertEquals(2 * 6 + 1, summary.size(), "loss, accuracy, their val_ and test_ twins per configuration: " + summary);
    assertTrue(Files.readAllLines(sweep.resolve("differences.csv")).get(1).startsWith("lr=0.5,lr=0.1,loss,2,"));
    String html = Files.readString(sweep.resolve("report.html"));
    assertTrue(html.contains("Regimen sweep report") && html.contains("data:image/png;base64,"), "a report with figures");
    String record = Files.readString(sweep.resolve("sweep.json"));
    assertTrue(record.contains("\"status\" : \"finished\"") && record.contains("\"threads_per_run\" : 1"), record);

    Cli.Outcome again = Cli.execute(args);
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("4 already finished"), again.out());
    assertTrue(!again.out().contains("] lr="), "no run again: " + again.out());
    assertEquals(List.of(sweep), Cli.runFolders(out), "the same sweep folder");

    Path oneRun = Cli.runFolders(sweep.resolve("runs")).get(0);
    Cli.Outcome compared = Cli.execute("compare", sweep.toString(), oneRun.toString(), "--out", dir.resolve("cmp").toString());
    assertEquals(0, compared.exit(), compared.err());
    String comparison = Files.readString(Cli.onlyRunFolder(dir.resolve("cmp")).resolve("report.html"));
    assertTrue(comparison.contains("Comparison of 2 folders"), comparison);
    assertTrue(comparison.contains(sweep.getFileName() + ": lr=0.5") && comparison.contains(oneRun.getFileName().toString()),
        "groups named by folder");
  }

  @Test
  void withoutTheSparkAddOnSparkIsAUsageErrorThatSaysWhatToInstall(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("s.js"), "rg.param('epochs', 1);\n");
    Path out = dir.resolve("sweeps");
    Cli.Outcome o = Cli.execute("sweep", script.toString(), "--grid", "epochs=1", "--seeds", "1", "--spark", "local[2]",
        "--out", out.toString());
    assertEquals(2, o.exit(), o.out() + o.err());
    assertTrue(o.err().contains("--spark local[2] runs the sweep on Spark, but the Spark add-on is not installed;"
        + " install the Spark add-on (unpack regimen-<version>-spark-addon.tar.gz or .zip"), o.err());
    assertTrue(o.err().contains("addons/spark/"), o.err());
    assertTrue(!Files.exists(out), "no sweep folder: nothing ran");
  }

  @Test
  void badSweepOptionsAreUsageErrorsThatNameTheValue(@TempDir Path dir) throws IOException {
    Path script = Files.writeString(dir.resolve("s.js"), "rg.param('epochs', 1);\n");
    Cli.Outcome noEquals = Cli.execute("sweep", script.toString(), "--grid", "epochs", "--seeds", "1");
    assertEquals(2, noEquals.exit());
    assertTrue(noEquals.err().contains("Received: --grid epochs (no '=')"), noEquals.err());
    Cli.Outcome down = Cli.execute("sweep", script.toString(), "--grid", "epochs=1,2", "--seeds", "3..1");
    assertEquals(2, down.exit());
    assertTrue(down.err().contains("the range 3..1 goes down"), down.err());
    Cli.Outcome both = Cli.execute("sweep", script.toString(), "--grid", "epochs=1,2", "--set", "epochs=3", "--seeds", "1");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("epochs is both in --set epochs=3 and in --grid"), both.err());
    Cli.Outcome jobsAndSpark = Cli.execute("sweep", script.toString(), "--grid", "epochs=1", "--seeds", "1", "--jobs", "2",
        "--spark", "local[2]");
    assertEquals(2, jobsAndSpark.exit());
    assertTrue(jobsAndSpark.err().contains("--jobs 2 and --spark local[2] do not go together"), jobsAndSpark.err());
    Cli.Outcome notARun = Cli.execute("compare", dir.toString());
    assertEquals(2, notARun.exit());
    assertTrue(notARun.err().contains("is neither a run folder"), notARun.err());
  }
}
