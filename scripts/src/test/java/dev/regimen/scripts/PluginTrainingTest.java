package dev.regimen.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.cli.Main;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.export.OnnxRuntimeCheck;
import dev.regimen.core.export.TrainedModel;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.plugin.PluginInfo;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plugin families as a user gets them: jars in a plugins folder, loaded by PF4J, their layers
 * made by name through the registry and trained by {@code Trainer.fit}. The plugin classes are not
 * on this test's class path (surefire excludes them), so nothing here can come from it.
 */
class PluginTrainingTest {
  private static PluginHost host;

  @BeforeAll
  static void loadPlugins() {
    host = PluginHost.load(Path.of(System.getProperty("regimen.test.plugins")));
  }

  @AfterAll
  static void close() {
    host.close();
  }

  @Test
  void thePluginClassesAreNotOnTheClassPath() {
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("dev.regimen.plugins.dropout.Dropout", false, getClass().getClassLoader()));
  }

  @Test
  void dropoutAndNormalizationLoadFromTheirPluginFiles() {
    assertEquals(List.of(), host.failures());
    List<String> ids = host.plugins().stream().map(PluginInfo::id).sorted().toList();
    assertTrue(ids.containsAll(List.of("dropout", "normalization", "diagnostics", "adversarial", "curriculum",
        "augmentation", "regularization", "distillation", "optimization")),
        ids.toString());
    ComponentRegistry registry = host.registry();
    for (String name : List.of("dropout", "dropout.scaled", "dropout.gaussian", "dropout.uout", "dropout.spatial",
        "dropconnect", "batchnorm", "layernorm", "instancenorm", "groupnorm")) {
      assertTrue(registry.contains(ComponentKind.LAYER, name), name);
    }
    for (String name : List.of("variance_shift", "activation_stats", "weight_stats", "robust_accuracy", "curriculum",
        "ema", "swa", "schedule", "lr_finder", "lr.onecycle", "lr.cosine_restarts")) {
      assertTrue(registry.contains(ComponentKind.SCHEDULER, name), name);
    }
    for (String name : List.of("fgsm", "flip", "random_crop", "color_jitter", "affine", "gaussian_noise",
        "label_smoothing", "mixup")) {
      assertTrue(registry.contains(ComponentKind.AUGMENTER, name), name);
    }
    for (String name : List.of("l1", "l2", "weight_decay", "weight_noise", "grad_clip")) {
      assertTrue(registry.contains(ComponentKind.REGULARIZER, name), name);
    }
    for (String name : List.of("lookahead", "sam", "lion", "lamb")) {
      assertTrue(registry.contains(ComponentKind.OPTIMIZER, name), name);
    }
    for (String name : List.of("distillation", "fitnets")) {
      assertTrue(registry.contains(ComponentKind.OBJECTIVE, name), name);
    }
    Layer dropout = registry.create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.5));
    assertNotSame(getClass().getClassLoader(), dropout.getClass().getClassLoader());
  }

  @Test
  void trainsTheDigitsMlpWithBatchNormAndDropoutFromThePlugins() {
    ComponentRegistry registry = host.registry();
    Dataset digits = EmbeddedData.digits();
    Dataset.Split split = digits.split(0.2, new Rng(21));
    Dataset.Split inner = split.train().split(0.2, new Rng(22));
    Normalizer normalizer = Normalizer.zscore().fit(inner.train());

    Layer model = new Sequential(List.of(
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 128)),
        registry.create(ComponentKind.LAYER, "batchnorm", Map.of()),
        registry.create(ComponentKind.LAYER, "relu", Map.of()),
        registry.create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.3)),
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 10))));
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-3))
        .metric(new Accuracy())
        .epochs(12)
        .batchSize(32)
        .seed(3)
        .progress(false)
        .scheduler(registry.create(ComponentKind.SCHEDULER, "early_stopping",
            Map.of("monitor", "val_accuracy", "patience", 4)))
        .build();
    new Trainer(config).fit(model, normalizer.apply(inner.train()), normalizer.apply(inner.validation()));

    double accuracy = Evaluation.evaluate(model, normalizer.apply(split.validation()), null,
        List.of(new Accuracy()), 256).get("accuracy");
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
  }

  @Test
  void regimenExportTurnsAModelWithPluginLayersIntoAnOnnxGraph(@TempDir Path dir) throws Exception {
    ComponentRegistry registry = host.registry();
    Dataset raw = EmbeddedData.digits().subset(IntStream.range(0, 400).toArray());
    Normalizer normalizer = Normalizer.zscore().fit(raw);
    Layer model = new Sequential(List.of(
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 32)),
        registry.create(ComponentKind.LAYER, "batchnorm", Map.of()),
        registry.create(ComponentKind.LAYER, "relu", Map.of()),
        registry.create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.3)),
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 10))));
    Path run = dir.resolve("quickstart-20260101-000000");
    new Trainer(TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(new Adam(1e-2)).epochs(2)
        .batchSize(32).seed(3).progress(false).normalizer(normalizer).checkpointDir(run.resolve("checkpoints/train-1"))
        .build()).fit(model, normalizer.apply(raw), null);

    Path onnx = dir.resolve("model.onnx");
    assertEquals(0, Main.execute("export", run.toString(), "--format", "onnx", "--out", onnx.toString(),
        "--plugins", System.getProperty("regimen.test.plugins")));
    TrainedModel trained = TrainedModel.load(TrainedModel.checkpointOf(run),
        name -> registry.factory(ComponentKind.LAYER, name), null);
    INDArray features = raw.features().array();
    OnnxRuntimeCheck.assertClose(trained.predict(features), OnnxRuntimeCheck.run(Files.readAllBytes(onnx), features),
        "dense, batchnorm, relu, dropout, dense from the plugin jars");
  }

  /**
   * Schedule anything: a script moves a dropout layer's rate and FGSM's eps over the epochs with the
   * built-in schedule, and the run's metrics.csv has each epoch's value.
   */
  @Test
  void schedulesOfADropoutRateAndOfFgsmsEpsShowInMetricsCsv(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("schedules.js");
    Files.writeString(script, String.join("\n",
        "const data = rg.data.digits({ normalize: 'minmax', validation: 0.25 });",
        "const drop = rg.layer('dropout', { rate: 0.1 });",
        "const fgsm = rg.augmenter('fgsm', { eps: 0.02, clipMin: 0, clipMax: 1 });",
        "const model = rg.sequential([rg.layer('dense', { units: 32 }), rg.layer('relu'), drop,",
        "  rg.layer('dense', { units: 10 })]);",
        "rg.trainer({ epochs: 3, batchSize: 64, augmenters: [fgsm], schedulers: [",
        "  rg.scheduler('schedule', { target: drop, option: 'rate', start: 0.1, end: 0.5 }),",
        "  rg.scheduler('schedule', { target: fgsm, option: 'eps', values: [0.02, 0.05, 0.1] })],",
        "}).fit(model, data.train, data.validation);"));
    Path out = dir.resolve("runs");
    assertEquals(0, Main.execute("run", script.toString(), "--plugins", System.getProperty("regimen.test.plugins"),
        "--out", out.toString(), "--no-progress"));
    Path run;
    try (var runs = Files.list(out)) {
      run = runs.findFirst().orElseThrow();
    }
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    List<String> header = List.of(csv.get(0).split(","));
    int rate = header.indexOf("dropout_1/rate");
    int eps = header.indexOf("eps");
    assertTrue(rate > 0 && eps > 0, "columns for the scheduled options: " + header);
    assertEquals(4, csv.size(), "a row per epoch: " + csv);
    double[][] expected = {{0.1, 0.02}, {0.3, 0.05}, {0.5, 0.1}};
    for (int e = 0; e < 3; e++) {
      String[] row = csv.get(e + 1).split(",");
      assertEquals(expected[e][0], Double.parseDouble(row[rate]), 1e-12, "the rate of epoch " + (e + 1));
      assertEquals(expected[e][1], Double.parseDouble(row[eps]), 1e-12, "eps of epoch " + (e + 1));
    }
  }
}
