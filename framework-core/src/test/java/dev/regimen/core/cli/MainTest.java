package dev.regimen.core.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.export.ExportFixtures;
import dev.regimen.core.export.OnnxRuntimeCheck;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.run.RunResults;
import dev.regimen.core.testing.PluginJarBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

/** The regimen command line: its commands, its exit codes, and a run folder written by a real run. */
class MainTest {

  private static Cli.Outcome execute(String... args) {
    return Cli.execute(args);
  }

  /**
   * Every command's help renders as written: a description with a bare '%' (picocli formats them)
   * printed "[picocli WARN] Could not format ..." and the raw text instead.
   */
  @Test
  void everyCommandsHelpFormatsWithoutWarnings() {
    PrintStream original = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine();
      StringBuilder help = new StringBuilder(cli.getUsageMessage());
      for (CommandLine sub : cli.getSubcommands().values()) {
        help.append(sub.getUsageMessage());
      }
      assertTrue(help.toString().contains("95% intervals"), help.toString());
    } finally {
      System.setErr(original);
    }
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsRegimenJavaAndTheNativeBuild() {
    Cli.Outcome o = execute("version");
    assertEquals(0, o.exit());
    assertTrue(o.out().startsWith("regimen 0."), o.out());
    assertTrue(o.out().contains("java " + System.getProperty("java.version")), o.out());
    assertTrue(o.out().contains("backend CpuBackend"), o.out());
    assertTrue(o.out().contains("\nlibnd4j linux-"), o.out());
    assertTrue(o.out().contains("\nblas OPENBLAS ("), o.out());
  }

  @Test
  void componentsListsTheBuiltInLayersWithTheirOptions(@TempDir Path plugins) {
    Cli.Outcome o = execute("components", "layer", "--plugins", plugins.toString());
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().contains("dense"), o.out());
    assertTrue(o.out().contains("units"), o.out());
    assertTrue(!o.out().contains("early_stopping"), "only layers: " + o.out());
  }

  @Test
  void anUnknownKindIsAUsageError(@TempDir Path plugins) {
    Cli.Outcome o = execute("components", "layres", "--plugins", plugins.toString());
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("Unknown component kind 'layres'"), o.err());
  }

  @Test
  void pluginsListsAnEmptyFolder(@TempDir Path plugins) {
    Cli.Outcome o = execute("plugins", "--plugins", plugins.toString());
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().startsWith("Plugins in " + plugins.toAbsolutePath().normalize()), o.out());
  }

  /** A one-layer plugin whose layer computes y = x, or throws in forward when {@code broken}. */
  private static Path identityPlugin(Path dir, boolean broken) {
    String body = broken ? "throw new IllegalStateException(\"broken on purpose\");" : "return input;";
    String source = """
        package acme;

        import dev.regimen.api.component.*;
        import dev.regimen.api.nn.*;
        import dev.regimen.api.tensor.Tensor;
        import java.util.List;
        import org.pf4j.Extension;

        @Extension
        public final class IdentityFactory extends AbstractComponentFactory<Layer> {
          public IdentityFactory() {
            super(ComponentKind.LAYER, "acme.identity", "y = x", List.of());
          }

          @Override
          public Layer create(Options options) {
            return new AbstractLayer("acme.identity", options) {
              @Override
              public long[] outputShape(long[] inputShape) {
                return inputShape.clone();
              }

              @Override
              protected Tensor call(Tensor input, ForwardContext ctx) {
                BODY
              }
            };
          }
        }
        """.replace("BODY", body);
    return PluginJarBuilder.plugin("acme").requires(">=0.1.0").description("Identity")
        .source("acme.IdentityFactory", source).writeJar(dir);
  }

  @Test
  void pluginsCheckPassesAGoodJarAndExitsZero(@TempDir Path dir) throws IOException {
    Path jar = identityPlugin(Files.createDirectory(dir.resolve("new")), false);
    Cli.Outcome o = execute("plugins", "--check", jar.toString(), "--plugins", dir.resolve("installed").toString());
    assertEquals(0, o.exit(), o.out() + o.err());
    assertTrue(o.out().startsWith("Checking " + jar.toAbsolutePath().normalize() + "\n"), o.out());
    assertTrue(o.out().contains("ok     layer acme.identity: 0 options, made with the defaults; forward on [2, 8]"), o.out());
    assertTrue(o.out().endsWith("OK: the plugin can be dropped into plugins/.\n"), o.out());
  }

  @Test
  void pluginsCheckSaysWhatIsWrongAndExitsOne(@TempDir Path dir) throws IOException {
    Path jar = identityPlugin(Files.createDirectory(dir.resolve("new")), true);
    Cli.Outcome o = execute("plugins", "--check", jar.toString(), "--plugins", dir.resolve("installed").toString());
    assertEquals(1, o.exit(), o.out() + o.err());
    assertTrue(o.out().contains("error  layer acme.identity: forward on [2, 8] in training failed:"
        + " IllegalStateException: broken on purpose"), o.out());
    assertTrue(o.out().endsWith("FAILED: 1 error; fix it before dropping the jar into plugins/.\n"), o.out());
  }

  @Test
  void pluginsCheckOfAMissingFileIsAUsageError(@TempDir Path dir) {
    Cli.Outcome o = execute("plugins", "--check", dir.resolve("nothing.jar").toString());
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("No such plugin file: " + dir.resolve("nothing.jar")), o.err());
  }

  @Test
  void anUnknownCommandOrAMissingScriptIsAUsageError(@TempDir Path dir) {
    assertEquals(2, execute("train", "x.js").exit());
    Cli.Outcome missing = execute("run", dir.resolve("nothing.js").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("No such script"), missing.err());
    assertEquals(2, execute("run", "--set", "novalue", dir.toString()).exit());
  }

  @Test
  void runTrainsAScriptAndWritesTheRunFolder(@TempDir Path dir) throws IOException {
    Path script = dir.resolve("tiny.js");
    Files.writeString(script, String.join("\n",
        "const data = rg.data.synthetic('two_moons', { n: 200, validation: 0.25 });",
        "const model = rg.sequential([rg.layer('dense', { units: 16 }), rg.layer('tanh'), rg.layer('dense', { units: 2 })]);",
        "rg.trainer({ loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 1e-2 }),",
        "  epochs: rg.param('epochs', 1), batchSize: 32, metrics: ['accuracy'], checkpoint: true })",
        "  .fit(model, data.train, data.validation);"));
    Path runs = dir.resolve("runs");
    Cli.Outcome o = execute("run", script.toString(), "--out", runs.toString(), "--set", "epochs=2", "--no-progress");
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().contains("Final metrics"), o.out());
    Path folder = Cli.onlyRunFolder(runs);
    assertTrue(folder.getFileName().toString().matches("tiny-\\d{8}-\\d{6}"), folder.toString());
    for (String file : List.of("run.log", "metrics.csv", "history.json", "report.html", "plots/loss.png",
        "checkpoints/train-1/last/weights.safetensors", "checkpoints/train-1/best/state.json")) {
      assertTrue(Files.exists(folder.resolve(file)), file + " in " + folder);
    }
    List<String> csv = Files.readAllLines(folder.resolve("metrics.csv"));
    assertEquals(3, csv.size(), csv.toString());
    assertTrue(csv.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy"), csv.get(0));
    List<Path> events = dev.regimen.core.run.EventFile.list(folder);
    assertEquals(1, events.size(), "one TensorBoard event file: " + events);
    assertTrue(Files.size(events.get(0)) > 100, events.toString());
  }

  @Test
  void theSummaryAndTheReportShowTheKeptWeightsMetricsTheTestSetAndTheSettings(@TempDir Path dir) throws IOException {
    // Early stopping sees its only improvement in epoch 1 (no later epoch gains 10) and stops after epoch 3.
    Path script = Files.writeString(dir.resolve("kept.js"), String.join("\n",
        "const data = rg.data.synthetic('two_moons', { n: 200, validation: 0.25, test: 0.25 });",
        "const model = rg.sequential([rg.layer('dense', { units: 8 }), rg.layer('tanh'), rg.layer('dense', { units: 2 })]);",
        "const trainer = rg.trainer({ epochs: 6, metrics: ['accuracy'],",
        "  schedulers: [rg.scheduler('early_stopping', { monitor: 'val_loss', patience: 2, min_delta: 10 })] });",
        "const history = trainer.fit(model, data.train, data.validation);",
        "const test = trainer.evaluate(model, data.test);",
        "console.log('VAL_LOSS ' + history.val_loss[0].toFixed(4) + ' TEST ' + test.accuracy.toFixed(4));"));
    Path runs = dir.resolve("runs");
    Cli.Outcome o = execute("run", script.toString(), "--out", runs.toString(), "--seed", "5", "--no-progress");
    assertEquals(0, o.exit(), o.err());
    String[] printed = o.scriptOut().lines().filter(l -> l.startsWith("VAL_LOSS ")).findFirst().orElseThrow().split(" ");
    assertTrue(o.out().contains("Final metrics (train-1, weights of epoch 1 of 3, put back by early stopping): "), o.out());
    assertTrue(o.out().contains("val_loss=" + printed[1]), "the kept epoch's val_loss: " + o.out());
    assertTrue(o.out().contains("Test metrics (train-1, 50 samples): loss="), o.out());
    assertTrue(o.out().contains("accuracy=" + printed[3]), o.out());

    // results.json: the kept epoch's metrics by name, the test set's with test_ in front, no lr.
    RunResults results = RunResults.read(Cli.onlyRunFolder(runs)).orElseThrow();
    assertEquals(Double.parseDouble(printed[1]), results.metrics().get("val_loss"), 5e-5);
    assertEquals(Double.parseDouble(printed[3]), results.metrics().get("test_accuracy"), 5e-5);
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy"),
        List.copyOf(results.metrics().keySet()));
    assertEquals(0, results.trainings().get(0).keptEpoch());

    String html = Files.readString(Cli.onlyRunFolder(runs).resolve("report.html"));
    assertTrue(html.contains("<th class=\"num\">kept (epoch 1)</th><th class=\"num\">last (epoch 3)</th>"), html);
    assertTrue(html.contains("<tr><td>test</td><td class=\"num\">50</td>"), "the test set's metrics");
    assertTrue(html.contains("<tr><th>command</th><td>regimen run " + script.toAbsolutePath() + " --seed 5</td></tr>"),
        "how the run was started");
    assertTrue(html.contains("<tr><th>regimen</th><td>0."), "the versions");
    assertTrue(html.contains("<tr><th>libnd4j</th><td>linux-"), "the native build");
    assertTrue(html.contains("<tr><th>schedulers</th><td>[{name=early_stopping"), "the trainer's options");
  }

  @Test
  void aScriptErrorIsReportedWithFileAndLineAndExitsOne(@TempDir Path dir) throws IOException {
    Path script = dir.resolve("broken.js");
    Files.writeString(script, "const x = 1;\nrg.layer('dense', { units: 0 });\n");
    Cli.Outcome o = execute("run", script.toString(), "--out", dir.resolve("runs").toString());
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("broken.js:2"), o.err());
    assertTrue(o.err().contains("units=0"), o.err());
  }

  @Test
  void exportWritesAnOnnxGraphAndPyTorchWeightsFromARunFolder(@TempDir Path dir) throws IOException {
    Path run = dir.resolve("run");
    ExportFixtures.train(Sequential.of(ExportFixtures.layer("dense", "units", 8), ExportFixtures.layer("relu"),
        ExportFixtures.layer("dense", "units", 10)), ExportFixtures.digits(), run.resolve("checkpoints/train-1"));
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path onnx = dir.resolve("out/model.onnx");
    Cli.Outcome o = execute("export", run.toString(), "--format", "onnx", "--out", onnx.toString(), "--plugins",
        plugins.toString());
    assertEquals(0, o.exit(), o.err());
    assertTrue(o.out().startsWith("Exported " + run.resolve("checkpoints/train-1/best") + " (epoch "), o.out());
    assertTrue(o.out().contains("\ninput [N, 64] (raw features, zscore normalizer included), output [N, 10]\n"),
        o.out());
    INDArray features = ExportFixtures.digits().features().array();
    OnnxRuntimeCheck.assertClose(ExportFixtures.load(run).predict(features),
        OnnxRuntimeCheck.run(Files.readAllBytes(onnx), features), "regimen export's ONNX graph");

    Path weights = dir.resolve("weights.safetensors");
    Cli.Outcome s = execute("export", run.resolve("checkpoints/train-1/last").toString(), "--out", weights.toString(),
        "--plugins", plugins.toString());
    assertEquals(0, s.exit(), s.err());
    assertTrue(s.out().contains(" as safetensors: "), s.out());
    assertArrayEquals(new long[] {8, 64}, Safetensors.read(weights).get("dense_1.weight").shape());
  }

  @Test
  void exportNamesWhatIsWrong(@TempDir Path dir) {
    Cli.Outcome noFormat = execute("export", dir.toString(), "--out", dir.resolve("model.bin").toString());
    assertEquals(2, noFormat.exit());
    assertTrue(noFormat.err().contains("Name the format: --format onnx or --format safetensors"), noFormat.err());
    Cli.Outcome badShape = execute("export", dir.toString(), "--out", "m.onnx", "--input-shape", "0,3");
    assertEquals(2, badShape.exit());
    assertTrue(badShape.err().contains("--input-shape takes positive sizes such as 64 or 1,28,28. Received: [0, 3]"),
        badShape.err());
    Cli.Outcome missing = execute("export", dir.resolve("nothing").toString(), "--out", "m.onnx");
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("No run folder or checkpoint at " + dir.resolve("nothing")), missing.err());
    Cli.Outcome empty = execute("export", dir.toString(), "--out", dir.resolve("m.onnx").toString());
    assertEquals(1, empty.exit());
    assertTrue(empty.err().contains("error: No checkpoint in " + dir), empty.err());
  }
}
