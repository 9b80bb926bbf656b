package dev.regimen.spark;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Optimizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.distributed.ComponentSpec;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedTraining;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.TrainerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the module's tests share: a local Spark context, the digits, the MLP and the configs. */
final class SparkTests {
  static final ComponentRegistry REGISTRY = registry();

  private SparkTests() {}

  /** A local context as the engine makes one (loopback, no UI); one per test class. */
  static JavaSparkContext context(String master) {
    return new JavaSparkContext(new SparkConf().setAppName("regimen-test").setMaster(master)
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  /** The digits scaled to [0, 1]: train (64%), validation (16%), test (20%), fixed splits. */
  static Dataset[] digits() {
    Dataset digits = EmbeddedData.digits();
    Dataset.Split outer = digits.split(0.2, new Rng(11));
    Dataset.Split inner = outer.train().split(0.2, new Rng(12));
    return new Dataset[] {scaled(inner.train()), scaled(inner.validation()), scaled(outer.validation())};
  }

  private static Dataset scaled(Dataset d) {
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  static Layer mlp() {
    return Sequential.of(
        LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }

  /** A config with the loss, the named optimizer, accuracy, and, unless {@code options} is null, distribution. */
  static TrainerConfig.Builder config(String optimizer, Map<String, Object> optimizerOptions,
      DistributedOptions options) {
    TrainerConfig.Builder builder = TrainerConfig.builder()
        .objective(REGISTRY.create(ComponentKind.OBJECTIVE, "softmax_cross_entropy", Map.of()))
        .optimizer(REGISTRY.<Optimizer>create(ComponentKind.OPTIMIZER, optimizer, optimizerOptions))
        .metric(new Accuracy())
        .batchSize(32)
        .seed(5)
        .progress(false);
    if (options != null) {
      builder.distributed(new DistributedTraining(options,
          ComponentSpec.of("softmax_cross_entropy", Map.of(), "the loss"),
          ComponentSpec.of(optimizer, optimizerOptions, "the optimizer"), List.of()));
    }
    return builder;
  }

  /** Every parameter's values by name (copies). */
  static Map<String, INDArray> weights(Layer model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      out.put(p.name(), p.value().array().dup());
    }
    return out;
  }

  /** The largest absolute difference between two models' parameters. */
  static double maxDifference(Map<String, INDArray> a, Map<String, INDArray> b) {
    double max = 0;
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      max = Math.max(max, e.getValue().sub(b.get(e.getKey())).amaxNumber().doubleValue());
    }
    return max;
  }

  private static ComponentRegistry registry() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(PluginHost.builtInFactories(), PluginHost.BUILT_IN);
    return registry;
  }
}
