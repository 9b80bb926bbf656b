package dev.regimen.core.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rg.sweep}: the calls, the seeds, a failed call, the summary and its files, from JavaScript and Python. */
@Timeout(120)
class ScriptSweepTest {
  @TempDir
  Path dir;

  @Test
  void aJavaScriptSweepCallsEachPointWithItsSeedRecordsAFailureAndSummarizes() throws IOException {
    Path script = Scripts.write(dir, "sweep.js", """
        const data = rg.data.synthetic('two_moons', { n: 64, validation: 0.25 });
        const r = rg.sweep((config, seed) => {
          if (config.rate === 0.5 && seed === 2) rg.layer('dense', { units: 0 });
          const model = rg.sequential([rg.layer('dense', { units: 4 }), rg.layer('tanh'), rg.layer('dense', { units: 2 })]);
          rg.trainer({ epochs: 1, batchSize: 16 }).fit(model, data.train, data.validation);
          return { score: config.rate * 10 + seed, seen: rg.seed() };
        }, { grid: { rate: [0, 0.5] }, seeds: [1, 2, 3], name: 'drop' });
        const score = r.summary.filter(s => s.metric === 'score');
        console.log('SUMMARY ' + score.map(s => [s.config, s.n, s.mean, s.std].join(':')).join(' '));
        const d = r.differences.filter(s => s.metric === 'score')[0];
        console.log('DIFF ' + [d.config, d.baseline, d.n, d.mean, d.ci95_low, d.ci95_high].join(':'));
        console.log('RUNS ' + r.runs.map(x => x.status + ':' + x.seed + ':' + x.metrics.seen).join(' '));
        console.log('ERROR ' + r.runs[3].error);
        """);
    Path runDir = Files.createDirectories(dir.resolve("run"));
    ScriptResult result = Scripts.RUNNER.run(script, Scripts.options().runDir(runDir).build());
    String out = result.output();

    // rate=0: scores 1, 2, 3; rate=0.5: 6 and 8 (seed 2 failed); paired differences 5 and 5.
    assertTrue(out.contains("SUMMARY rate=0:3:2:1 rate=0.5:2:7:" + Math.sqrt(2)), out);
    assertTrue(out.contains("DIFF rate=0.5:rate=0:2:5:5:5"), out);
    assertTrue(out.contains("RUNS finished:1:1 finished:1:1 finished:2:2 failed:2:undefined finished:3:3 finished:3:3"), out);
    assertTrue(out.contains("ERROR sweep.js:3: Option 'units' of layer 'dense' must be >= 1. Received: units=0"), out);
    assertTrue(out.contains("[4/6] drop: rate=0.5 seed=2: FAILED: "), out);
    assertEquals(List.of("rate-0-seed1", "rate-0.5-seed1", "rate-0-seed2", "rate-0-seed3", "rate-0.5-seed3"),
        result.trainings().stream().map(TrainingRecord::name).toList(), "trainers named after their run");
    assertEquals(3L, ((Number) result.trainings().get(4).config().get("seed")).longValue(), "the run's seed");

    Path folder = runDir.resolve("sweep-drop");
    List<String> summary = Files.readAllLines(folder.resolve("summary.csv"));
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("rate=0,score,3,2,1,")), summary.toString());
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("rate=0.5,score,2,7,1.4142135623730951,")), summary.toString());
    assertTrue(summary.stream().anyMatch(l -> l.startsWith("rate=0.5,loss,2,")), "the trainings' metrics too: " + summary);
    assertTrue(Files.readString(folder.resolve("runs.csv")).contains(",failed,"));
    assertTrue(Files.readString(folder.resolve("report.html")).contains("1 run failed</h2>"));
  }

  @Test
  void aPythonSweepTakesKeywordArgumentsAndBadOptionsNameTheValue() {
    Path script = Scripts.write(dir, "sweep.py", """
        import regimen as rg
        def run(config, seed):
            return {"score": config["rate"] * 10 + seed}
        r = rg.sweep(run, grid={"rate": [0, 0.5]}, seeds=[1, 2], baseline={"rate": 0})
        print("DIFF", [(d["config"], d["mean"]) for d in r["differences"]], r["folder"])
        """);
    assertTrue(Scripts.run(script).output().contains("DIFF [('rate=0.5', 5.0)] None"));

    Path bad = Scripts.write(dir, "bad.js", "rg.sweep(() => ({}), { grid: { rate: 0.5 }, seeds: [1] });\n");
    ScriptException e = assertThrows(ScriptException.class, () -> Scripts.run(bad));
    assertTrue(e.getMessage().contains("Option 'grid' of rg.sweep takes a list of values for each key, e.g. {rate: [0, "
        + "0.5]}. Received: rate=0.5"), e.getMessage());
    Path baseline = Scripts.write(dir, "baseline.js",
        "rg.sweep(() => ({}), { grid: { rate: [0, 0.5] }, seeds: [1], baseline: { rate: 0.3 } });\n");
    e = assertThrows(ScriptException.class, () -> Scripts.run(baseline));
    assertTrue(e.getMessage().contains("rg.sweep's baseline rate=0.3: 0.3 is not one of the grid's values of rate (0, 0.5)"),
        e.getMessage());
  }
}
