package bench.regimen;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.NativeBuild;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.IdxLoader;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Regimen side of bench/run: a worker driven line by line over stdin by bench/bench.py (see there
 * for the commands). Answers are single lines "@@RESULT {json}" on stdout.
 *
 * <p>Training goes through the public API only: {@code Trainer.fit(model, train, null)} for one epoch
 * over the timing subset, {@code Evaluation.predict} for inference and accuracy.
 *
 * <p>Batch norm and dropout come as plugins. Until the components {@value #BATCHNORM} and
 * {@value #DROPOUT} can both be found (see {@link #layerRegistry()}), the models run without those two
 * layers ("plain"); BENCH_REGIMEN_VARIANT=full|plain|auto (default auto) overrides the detection.
 */
public final class RegimenWorker {
  /** Component names the full models need; see DESIGN.md's plugin table. */
  static final String BATCHNORM = "batchnorm";
  static final String DROPOUT = "dropout";

  private final String model;
  private final String variant;
  private final int batch;
  private final int inferBatch;
  private final double lr;
  private final long seed;
  private final ComponentRegistry registry;
  private final Dataset train;
  private final Dataset test;
  private final int[] testLabels;
  private Layer net;
  private Adam optimizer;
  private int fitCalls;

  private RegimenWorker(String model, Path data, int batch, int inferBatch, double lr, long seed) {
    this.model = model;
    this.batch = batch;
    this.inferBatch = inferBatch;
    this.lr = lr;
    this.seed = seed;
    this.registry = layerRegistry();
    this.variant = chooseVariant(registry);
    // IDX loader: images [N, 1, 28, 28] with pixels in [0, 255]; scale to [0, 1] like the peers.
    Dataset rawTrain = IdxLoader.load(data, "train");
    Dataset rawTest = IdxLoader.load(data, "t10k");
    // In place: the raw arrays are not used again, and a copy would hold another 188 MB.
    this.train = rawTrain.withFeatures(rawTrain.features().array().divi(255f));
    this.test = rawTest.withFeatures(rawTest.features().array().divi(255f));
    this.testLabels = test.labels();
    reset();
  }

  // ---------------------------------------------------------------------------------------------
  // Where batch norm and dropout come from, and so THE place where the benchmark switches to the full
  // models: the registry of a PluginHost over BENCH_REGIMEN_PLUGINS (bench/run fills bench/target/plugins
  // with the plugin jars it could build). Once the normalization plugin offers "batchnorm" and the dropout
  // plugin "dropout", chooseVariant() below picks "full" by itself; nothing else needs to change.
  // ---------------------------------------------------------------------------------------------
  static ComponentRegistry layerRegistry() {
    String dir = System.getenv("BENCH_REGIMEN_PLUGINS");
    host = PluginHost.load(Path.of(dir == null || dir.isBlank() ? "target/plugins" : dir));
    host.failures().forEach(f -> System.err.println("[regimen worker] plugin failed to load: " + f));
    return host.registry();
  }

  private static PluginHost host;

  static String chooseVariant(ComponentRegistry r) {
    boolean available = r.contains(ComponentKind.LAYER, BATCHNORM) && r.contains(ComponentKind.LAYER, DROPOUT);
    String wanted = System.getenv().getOrDefault("BENCH_REGIMEN_VARIANT", "auto");
    switch (wanted) {
      case "plain":
        return "plain";
      case "full":
        if (!available) {
          throw new IllegalStateException("BENCH_REGIMEN_VARIANT=full but the layer components '" + BATCHNORM
              + "' and '" + DROPOUT + "' are not both available; layers: "
              + r.entries(ComponentKind.LAYER).stream().map(e -> e.factory().name()).toList());
        }
        return "full";
      default:
        return available ? "full" : "plain";
    }
  }

  private static Layer layer(ComponentRegistry registry, String name, Map<String, ?> options) {
    return registry.<Layer>create(ComponentKind.LAYER, name, options);
  }

  /** Dropout with drop probability 0.5, whatever the plugin calls that option. */
  private static Layer dropout(ComponentRegistry registry) {
    List<OptionSpec> specs = registry.factory(ComponentKind.LAYER, DROPOUT).options();
    for (String candidate : List.of("rate", "p", "drop_rate", "probability", "drop_probability")) {
      if (specs.stream().anyMatch(s -> s.name().equals(candidate))) {
        return layer(registry, DROPOUT, Map.of(candidate, 0.5));
      }
    }
    throw new IllegalStateException("The '" + DROPOUT + "' layer has none of the options rate, p, drop_rate, "
        + "probability, drop_probability; its options: " + specs.stream().map(OptionSpec::name).toList());
  }

  /** The benchmark's MLP or CNN ({@code model}), "full" or "plain" (without batch norm and dropout). */
  static Sequential buildModel(ComponentRegistry registry, String model, String variant) {
    boolean full = variant.equals("full");
    java.util.function.BiFunction<String, Map<String, ?>, Layer> layer = (name, options) ->
        layer(registry, name, options);
    List<Layer> layers = new ArrayList<>();
    if (model.equals("mlp")) {
      layers.add(layer.apply("flatten", Map.of()));
      for (int i = 0; i < 2; i++) {
        layers.add(layer.apply("dense", Map.of("units", 512, "kernel_initializer", "he_normal")));
        if (full) {
          layers.add(layer.apply(BATCHNORM, Map.of()));
        }
        layers.add(layer.apply("relu", Map.of()));
        if (full) {
          layers.add(dropout(registry));
        }
      }
      layers.add(layer.apply("dense", Map.of("units", 10)));
    } else {
      for (int filters : new int[] {32, 64}) {
        layers.add(layer.apply("conv2d", Map.of("filters", filters, "kernel_size", 3, "padding", 1)));
        if (full) {
          layers.add(layer.apply(BATCHNORM, Map.of()));
        }
        layers.add(layer.apply("relu", Map.of()));
        layers.add(layer.apply("maxpool2d", Map.of("pool_size", 2)));
      }
      layers.add(layer.apply("flatten", Map.of()));
      layers.add(layer.apply("dense", Map.of("units", 128, "kernel_initializer", "he_normal")));
      layers.add(layer.apply("relu", Map.of()));
      if (full) {
        layers.add(dropout(registry));
      }
      layers.add(layer.apply("dense", Map.of("units", 10)));
    }
    return new Sequential(layers);
  }

  private void reset() {
    net = buildModel(registry, model, variant);
    optimizer = new Adam(lr);
    fitCalls = 0;
  }

  /** One epoch of Trainer.fit over {@code data}; a new seed each call so the order differs. */
  private TrainingResult fit(Dataset data) {
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(optimizer)
        .epochs(1)
        .batchSize(batch)
        .seed(seed + fitCalls++)
        .progress(false)
        .build();
    return new Trainer(config).fit(net, data, null);
  }

  private static double lastLoss(TrainingResult r) {
    try {
      return r.history().epoch(r.epochsRun() - 1).getOrDefault("loss", Double.NaN);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private Dataset firstRows(Dataset d, int n) {
    // A view, as PyTorch's x[:n]: a copy per timed repetition would hold up to 63 MB each until the GC
    // frees it.
    return d.head(n);
  }

  private int[] predict(int samples) {
    INDArray x = samples >= test.size() ? test.features().array()
        : test.features().array().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, samples));
    INDArray out = Evaluation.predict(net, x, inferBatch);
    return out.argMax(1).toIntVector();
  }

  private String handle(String[] c) {
    switch (c[0]) {
      case "memory": {
        // Where the native memory is: JavaCPP's count of what it allocated, the process's resident
        // bytes, and the arena of each step scope (workspace) of this thread.
        StringBuilder ws = new StringBuilder();
        for (var w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
          ws.append(ws.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.1f", w.getId(),
              w.getCurrentSize() / 1048576.0));
        }
        return String.format(Locale.ROOT, "{\"javacpp_total_mb\":%.1f,\"physical_mb\":%.1f,\"workspaces_mb\":{%s}}",
            org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0,
            org.bytedeco.javacpp.Pointer.physicalBytes() / 1048576.0, ws);
      }
      case "info": {
        String layers = registry.entries(ComponentKind.LAYER).stream()
            .filter(e -> !e.origin().equals(PluginHost.BUILT_IN)).map(e -> e.factory().name() + "@" + e.origin())
            .reduce((a, b) -> a + " " + b).orElse("none");
        return String.format(Locale.ROOT, "{\"framework\":\"regimen\",\"version\":\"0.1.0-SNAPSHOT\","
            + "\"model\":\"%s\",\"variant\":\"%s\",\"blas\":\"%s\",\"plugin_layers\":\"%s\"}", model, variant,
            Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("blas.vendor", "?"), layers);
      }
      case "gemm": {
        int n = Integer.parseInt(c[1]);
        int reps = Integer.parseInt(c[2]);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray out = Nd4j.create(DataType.FLOAT, n, n);
        // Nd4j.matmul, the call Regimen's layers make (oneDNN's matmul in the oneDNN builds); INDArray.mmuli
        // goes to the bundled OpenBLAS instead, at about half the speed on this machine.
        for (int i = 0; i < 2; i++) {
          Nd4j.matmul(a, b, out, false, false, false);
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
          long s = System.nanoTime();
          Nd4j.matmul(a, b, out, false, false, false);
          t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        double flops = 2.0 * n * n * (double) n;
        return String.format(Locale.ROOT, "{\"n\":%d,\"gflops_median\":%.3f,\"gflops_best\":%.3f}", n,
            flops / t[reps / 2] / 1e9, flops / t[0] / 1e9);
      }
      case "warmup": {
        int batches = Integer.parseInt(c[1]);
        Dataset d = firstRows(train, batches * batch);
        long s = System.nanoTime();
        TrainingResult r = fit(d);
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"batches\":%d,\"loss\":%.6f}",
            (System.nanoTime() - s) / 1e9, (d.size() + batch - 1) / batch, lastLoss(r));
      }
      case "train": {
        Dataset d = firstRows(train, Integer.parseInt(c[1]));
        long s = System.nanoTime();
        TrainingResult r = fit(d);
        double seconds = (System.nanoTime() - s) / 1e9;
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d,\"batches\":%d,\"loss\":%.6f}",
            seconds, d.size(), (d.size() + batch - 1) / batch, lastLoss(r));
      }
      case "infer": {
        int samples = Math.min(Integer.parseInt(c[1]), test.size());
        long s = System.nanoTime();
        predict(samples);
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d}", (System.nanoTime() - s) / 1e9,
            samples);
      }
      case "epoch": {
        Dataset d = firstRows(train, Integer.parseInt(c[1]));
        reset();
        long s = System.nanoTime();
        TrainingResult r = fit(d);
        double seconds = (System.nanoTime() - s) / 1e9;
        int nTest = Math.min(c.length > 2 ? Integer.parseInt(c[2]) : test.size(), test.size());
        int[] pred = predict(nTest);
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
          right += pred[i] == testLabels[i] ? 1 : 0;
        }
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d,\"test_samples\":%d,\"loss\":%.6f,"
            + "\"accuracy\":%.6f}", seconds, d.size(), nTest, lastLoss(r), right / (double) pred.length);
      }
      default:
        throw new IllegalArgumentException("unknown command " + c[0]);
    }
  }

  public static void main(String[] args) throws Exception {
    // The libnd4j build for this CPU, chosen as the launcher chooses it, before ND4J loads.
    NativeBuild.Choice build = NativeBuild.select();
    if (args.length == 1 && args[0].equals("--native-build")) {
      System.out.println(build.extension().isEmpty() ? "plain" : build.extension());
      return;
    }
    String model = null;
    Path data = null;
    int batch = 128;
    int inferBatch = 128;
    double lr = 1e-3;
    long seed = 42;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = args[i + 1];
        case "--data" -> data = Path.of(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--infer-batch" -> inferBatch = Integer.parseInt(args[i + 1]);
        case "--lr" -> lr = Double.parseDouble(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--threads", "--variant" -> { } // threads: OMP_NUM_THREADS; variant: detected, see above
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    RegimenWorker w = new RegimenWorker(model, data, batch, inferBatch, lr, seed);
    System.out.println("@@READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] c = line.trim().split("\\s+");
      if (c[0].isEmpty()) {
        continue;
      }
      if (c[0].equals("quit")) {
        break;
      }
      String result;
      try {
        result = w.handle(c);
      } catch (RuntimeException | OutOfMemoryError e) {
        e.printStackTrace();
        result = "{\"error\":\"" + (e.getClass().getSimpleName() + ": " + e.getMessage()).replace("\\", "\\\\")
            .replace("\"", "'").replace("\n", " ") + "\"}";
      }
      System.out.println("@@RESULT " + result);
      System.out.flush();
    }
    System.exit(0);
  }
}
