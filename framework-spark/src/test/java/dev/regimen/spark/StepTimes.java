package dev.regimen.spark;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedOptions.Sync;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A measurement, not a test: the time of one {@code sync: 'gradients'} step split into compute, serialization
 * and communication, for MLPs of growing size, on {@code local[1]} and {@code local[2]}; the inputs of
 * {@code docs/scaling.md}. Run it from the module's test class path, e.g.
 * {@code mvn -pl framework-spark -am test-compile} then {@code java -cp ... dev.regimen.spark.StepTimes} (the
 * doc gives the full command).
 *
 * <p>Per model and master it reports, in milliseconds a step (the median of {@value #STEPS} steps after
 * {@value #WARMUP} untimed ones): {@code one} a step in one process (forward, backward, optimizer);
 * {@code shard} the forward and backward passes of one worker's shard; {@code ser} encoding and decoding the
 * parameters, the gradients and the shard's data once each (safetensors), what each step adds on a worker
 * and on the driver; {@code step} a whole distributed step as the trainer sees it; and {@code comm}, the rest:
 * {@code step - shard - ser - (one - full passes)}, Spark's scheduling, the broadcast and the aggregate.
 */
public final class StepTimes {
  static final int WARMUP = 5;
  static final int STEPS = 20;
  static final int BATCH = 128;

  private StepTimes() {}

  public static void main(String[] args) {
    int[][] models = {{64, 32, 10}, {784, 128, 10}, {784, 512, 512, 10}, {784, 1024, 1024, 10}};
    System.out.println("| model | parameters | master | one | shard | ser | step | comm |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (String master : List.of("local[1]", "local[2]")) {
      int workers = master.equals("local[1]") ? 1 : 2;
      JavaSparkContext spark = SparkTests.context(master);
      try {
        for (int[] widths : models) {
          measure(widths, master, workers);
        }
      } finally {
        spark.stop();
      }
    }
  }

  private static void measure(int[] widths, String master, int workers) {
    Dataset data = Synthetic.blobs(BATCH * (WARMUP + STEPS), widths[widths.length - 1], widths[0], 1.0, new Rng(1));
    Layer probe = mlp(widths);
    Layers.build(probe, data.sampleShape(), new Rng(1));
    long parameters = Layers.parameters(probe).stream().mapToLong(p -> p.value().length()).sum();

    double one = perStep(widths, data, null);
    double step = perStep(widths, data, new DistributedOptions("spark", null, workers, Sync.GRADIENTS, 1));
    double full = passes(probe, data, BATCH);
    double shard = passes(probe, data, BATCH / workers);
    double ser = serialization(probe, data, BATCH / workers);
    double comm = step - shard - ser - (one - full);
    System.out.printf(Locale.ROOT, "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", shape(widths), parameters,
        master, one, shard, ser, step, comm);
  }

  /** Milliseconds a step of Trainer.fit over the data (one epoch), warm-up steps not counted. */
  private static double perStep(int[] widths, Dataset data, DistributedOptions options) {
    Dataset warm = data.subset(range(0, BATCH * WARMUP));
    Dataset timed = data.subset(range(BATCH * WARMUP, BATCH * (WARMUP + STEPS)));
    Layer model = mlp(widths);
    TrainerConfig.Builder config = SparkTests.config("adam", Map.of("lr", 1e-3), options).batchSize(BATCH).epochs(1);
    new Trainer(config.build()).fit(model, warm, null);
    long start = System.nanoTime();
    new Trainer(SparkTests.config("adam", Map.of("lr", 1e-3), options).batchSize(BATCH).epochs(1).build())
        .fit(model, timed, null);
    return (System.nanoTime() - start) / 1e6 / STEPS;
  }

  /** Milliseconds of the forward and backward passes of {@code rows} samples (median). */
  private static double passes(Layer model, Dataset data, int rows) {
    List<Parameter> parameters = Layers.parameters(model);
    Batch batch = new Batch(Tensor.of(data.features().array().get(rowsOf(rows))),
        Tensor.of(data.targets().array().get(rowsOf(rows))));
    double[] times = new double[WARMUP + STEPS];
    for (int i = 0; i < times.length; i++) {
      long start = System.nanoTime();
      try (StepMemory.Scope scope = StepMemory.open("train")) {
        Trainer.forwardBackward(model, SparkTests.config("sgd", Map.of(), null).build().objective(), List.of(),
            parameters, batch, ForwardContext.training(new Rng(i)), 0);
      }
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    return median(times);
  }

  /** Milliseconds to encode and decode the parameters, the gradients and a shard of {@code rows} samples. */
  private static double serialization(Layer model, Dataset data, int rows) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (Parameter p : Layers.parameters(model)) {
      arrays.put(p.name(), p.value().array());
    }
    Map<String, INDArray> shard = Map.of("inputs", data.features().array().get(
        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)));
    double[] times = new double[WARMUP + STEPS];
    for (int i = 0; i < times.length; i++) {
      long start = System.nanoTime();
      for (int k = 0; k < 2; k++) { // the parameters out, the gradients (as many numbers) back
        Safetensors.decode(Safetensors.encode(arrays), "parameters");
      }
      Safetensors.decode(Safetensors.encode(shard), "shard");
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    return median(times);
  }

  private static org.nd4j.linalg.indexing.INDArrayIndex rowsOf(int rows) {
    return org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows);
  }

  private static Layer mlp(int[] widths) {
    List<Layer> layers = new java.util.ArrayList<>();
    for (int i = 1; i < widths.length; i++) {
      layers.add(LayerFactories.create("dense", Map.of("units", widths[i])));
      if (i < widths.length - 1) {
        layers.add(LayerFactories.create("relu"));
      }
    }
    return Sequential.of(layers.toArray(new Layer[0]));
  }

  private static String shape(int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int w : widths) {
      out.append(out.length() == 0 ? "" : "-").append(w);
    }
    return out.toString();
  }

  private static int[] range(int from, int to) {
    int[] out = new int[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i;
    }
    return out;
  }

  private static double median(double[] times) {
    double[] timed = java.util.Arrays.copyOfRange(times, WARMUP, times.length);
    java.util.Arrays.sort(timed);
    return timed[timed.length / 2];
  }
}
