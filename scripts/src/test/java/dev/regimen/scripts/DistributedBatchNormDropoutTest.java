package dev.regimen.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.distributed.ComponentSpec;
import dev.regimen.core.distributed.DistributedEngines;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedOptions.Sync;
import dev.regimen.core.distributed.DistributedSession;
import dev.regimen.core.distributed.DistributedTraining;
import dev.regimen.core.distributed.GradientSum;
import dev.regimen.core.distributed.GradientTask;
import dev.regimen.core.distributed.WorkerSpec;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.core.train.Transfer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch norm and dropout (the plugin layers {@code batchnorm} and {@code dropout}, from their jars in a plugins
 * folder, as the workers load them) in a {@code sync: 'gradients'} training on Spark ({@code local[2]}): each
 * worker draws its own dropout masks from the batch's stream, the training is reproducible, and batch norm's
 * running statistics are set on the driver from the workers'.
 */
class DistributedBatchNormDropoutTest {
  private static final DistributedOptions TWO_WORKERS = new DistributedOptions("spark", null, 2, Sync.GRADIENTS, 1);

  private static PluginHost host;
  private static Path plugins;
  private static JavaSparkContext spark;
  private static Dataset train;
  private static Dataset validation;

  @BeforeAll
  static void start() {
    plugins = Path.of(System.getProperty("regimen.test.plugins"));
    host = PluginHost.load(plugins);
    spark = new JavaSparkContext(new SparkConf().setAppName("regimen-test").setMaster("local[2]")
        .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
    Dataset digits = EmbeddedData.digits();
    Dataset scaled = Dataset.classification(digits.features().array().div(16.0), digits.targets().array(),
        digits.numClasses());
    train = scaled.subset(IntStream.range(0, 300).toArray());
    validation = scaled.subset(IntStream.range(1400, 1797).toArray());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    host.close();
  }

  /** Batch norm first (its input, the pixels, does not depend on the weights), then an MLP with dropout. */
  private static Layer model() {
    ComponentRegistry registry = host.registry();
    return new Sequential(List.of(
        registry.create(ComponentKind.LAYER, "batchnorm", Map.of()),
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 32)),
        registry.create(ComponentKind.LAYER, "relu", Map.of()),
        registry.create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.3)),
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 10))));
  }

  private static TrainingResult fit(Layer model, DistributedOptions distributed) {
    ComponentRegistry registry = host.registry();
    Map<String, Object> sgd = Map.of("lr", 0.1, "momentum", 0.9);
    TrainerConfig.Builder config = TrainerConfig.builder()
        .objective(registry.create(ComponentKind.OBJECTIVE, "softmax_cross_entropy", Map.of()))
        .optimizer(registry.create(ComponentKind.OPTIMIZER, "sgd", sgd))
        .metric(new Accuracy())
        .epochs(2)
        .batchSize(32)
        .seed(5)
        .progress(false);
    if (distributed != null) {
      config.distributed(new DistributedTraining(distributed, ComponentSpec.of("softmax_cross_entropy", Map.of(),
          "the loss"), ComponentSpec.of("sgd", sgd, "the optimizer"), List.of(plugins)));
    }
    return new Trainer(config.build()).fit(model, train, validation);
  }

  @Test
  void batchNormAndDropoutTrainReproduciblyAndTheDriverKeepsTheRunningStatistics() {
    Layer first = model();
    TrainingResult one = fit(first, TWO_WORKERS);
    Layer second = model();
    fit(second, TWO_WORKERS);
    Layer alone = model();
    fit(alone, null);

    // The same seed: the same batches, the same masks on each worker, the same sums: the same weights and buffers.
    assertEquals(arrays(first), arrays(second));
    assertTrue(one.history().series("val_accuracy").get(1) > 0.6, "it learned (chance: 0.1): " + one.history().epoch(1));

    // A running mean moves linearly with the batch's mean, so the shard-weighted average of the workers' equals
    // one process's on the whole batch; the batch norm's input is the pixels, the same in both trainings.
    Map<String, INDArray> buffers = buffers(first);
    Map<String, INDArray> alonesBuffers = buffers(alone);
    String mean = key(buffers, "running_mean");
    String var = key(buffers, "running_var");
    double meanGap = buffers.get(mean).sub(alonesBuffers.get(mean)).amaxNumber().doubleValue();
    assertTrue(meanGap < 1e-5, "the running means differ by " + meanGap);
    assertTrue(buffers.get(mean).amaxNumber().doubleValue() > 0.1, "the running mean moved: " + buffers.get(mean));
    // The running variance is the workers' shard variances averaged (as DDP without SyncBatchNorm): not one
    // process's whole-batch variance, but close to it, and moved from its initial ones.
    INDArray ones = Nd4j.onesLike(buffers.get(var));
    assertTrue(buffers.get(var).sub(ones).amaxNumber().doubleValue() > 0.1, "the running variance moved");
    double varGap = buffers.get(var).sub(alonesBuffers.get(var)).amaxNumber().doubleValue();
    assertTrue(varGap > 0 && varGap < 0.05, "the running variances differ by " + varGap);
  }

  @Test
  void eachWorkerDrawsItsOwnDropoutMasksFromTheBatchsStream() throws Exception {
    ComponentRegistry registry = host.registry();
    Layer model = new Sequential(List.of(
        registry.create(ComponentKind.LAYER, "dense", Map.of("units", 8)),
        registry.create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.5))));
    Layers.build(model, new long[] {4}, new Rng(1));
    Map<String, INDArray> state = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      state.put(p.name(), p.value().array());
    }
    WorkerSpec spec = new WorkerSpec("dropout-masks", new ObjectMapper().writeValueAsString(
        Transfer.configTree(model.config())), new long[] {4}, ComponentSpec.of("mse", Map.of(), "the loss"),
        ComponentSpec.of("sgd", Map.of("lr", 0.1), "the optimizer"), List.of(), List.of(plugins.toString()));
    byte[] shard = Safetensors.encode(Map.of(
        "inputs", Nd4j.linspace(1, 24, 24, Tensor.defaultType()).reshape(6, 4).divi(24),
        "targets", Nd4j.zeros(Tensor.defaultType(), 6, 8)));

    try (DistributedSession session = DistributedEngines.require("spark", "the test").open(TWO_WORKERS, spec)) {
      byte[] bytes = Safetensors.encode(state);
      // Both workers get the same rows and the same batch seed: only their dropout masks can differ.
      List<INDArray> outputs = outputs(session.gradients(bytes, tasks(7, shard)));
      List<INDArray> again = outputs(session.gradients(bytes, tasks(7, shard)));
      List<INDArray> otherBatch = outputs(session.gradients(bytes, tasks(8, shard)));
      assertFalse(outputs.get(0).equals(outputs.get(1)), "the workers' masks differ");
      assertEquals(outputs, again, "the same batch seed draws the same masks on each worker");
      assertFalse(outputs.get(0).equals(otherBatch.get(0)), "another batch, other masks");
      long dropped = outputs.get(0).eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().longValue();
      assertTrue(dropped > 0 && dropped < 48, "dropout at 0.5 drops some of 48 values: " + dropped);
    }
  }

  private static List<GradientTask> tasks(long forwardSeed, byte[] shard) {
    return List.of(new GradientTask(0, 0, 0, forwardSeed, 0.5, shard, null),
        new GradientTask(1, 0, 0, forwardSeed, 0.5, shard, null));
  }

  private static List<INDArray> outputs(GradientSum sum) {
    return sum.outputs().values().stream()
        .map(b -> Safetensors.decode(b, "an output").get("output")).toList();
  }

  private static Map<String, INDArray> arrays(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      out.put(p.name(), p.value().array().dup());
    }
    out.putAll(buffers(model));
    return out;
  }

  private static Map<String, INDArray> buffers(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    Layers.buffers(model).forEach((name, t) -> out.put(name, t.array().dup()));
    return out;
  }

  private static String key(Map<String, INDArray> buffers, String suffix) {
    return buffers.keySet().stream().filter(k -> k.endsWith(suffix)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + suffix + " in " + buffers.keySet()));
  }
}
