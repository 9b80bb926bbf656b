package bench.dl4j;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J side of bench/run: a worker driven line by line over stdin by bench/bench.py (see there for
 * the commands). Answers are single lines "@@RESULT {json}" on stdout.
 */
public final class Dl4jWorker {
  private final String model;
  private final String variant;
  private final int batch;
  private final int inferBatch;
  private final double lr;
  private final long seed;
  private final Random random;
  private final INDArray xTrain;
  private final INDArray yTrain;
  private final int[] labelsTrain;
  private final INDArray xTest;
  private final int[] labelsTest;
  private MultiLayerNetwork net;

  private Dl4jWorker(String model, String variant, Path data, int batch, int inferBatch, double lr, long seed)
      throws IOException {
    this.model = model;
    this.variant = variant;
    this.batch = batch;
    this.inferBatch = inferBatch;
    this.lr = lr;
    this.seed = seed;
    this.random = new Random(seed);
    xTrain = images(data.resolve("train-images-idx3-ubyte.gz"));
    labelsTrain = labels(data.resolve("train-labels-idx1-ubyte.gz"));
    yTrain = oneHot(labelsTrain);
    xTest = images(data.resolve("t10k-images-idx3-ubyte.gz"));
    labelsTest = labels(data.resolve("t10k-labels-idx1-ubyte.gz"));
    reset();
  }

  private void reset() {
    Nd4j.getRandom().setSeed(seed);
    boolean full = variant.equals("full");
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .updater(new Adam(lr))
        .weightInit(WeightInit.RELU)
        .convolutionMode(ConvolutionMode.Same)
        .list();
    // DL4J's idiom: the activation lives in the layer before it (dense, conv or batch norm).
    // DropoutLayer(p) takes the RETAIN probability; 0.5 either way.
    if (model.equals("mlp")) {
      for (int i = 0; i < 2; i++) {
        b.layer(new DenseLayer.Builder().nOut(512).activation(full ? Activation.IDENTITY : Activation.RELU).build());
        if (full) {
          b.layer(new BatchNormalization.Builder().activation(Activation.RELU).build());
          b.layer(new DropoutLayer.Builder(0.5).build());
        }
      }
      b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
          .build());
      b.setInputType(InputType.feedForward(784));
    } else {
      for (int filters : new int[] {32, 64}) {
        b.layer(new ConvolutionLayer.Builder(3, 3).nOut(filters).stride(1, 1)
            .activation(full ? Activation.IDENTITY : Activation.RELU).build());
        if (full) {
          b.layer(new BatchNormalization.Builder().activation(Activation.RELU).build());
        }
        b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
      }
      b.layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build());
      if (full) {
        b.layer(new DropoutLayer.Builder(0.5).build());
      }
      b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
          .build());
      b.setInputType(InputType.convolutional(28, 28, 1));
    }
    MultiLayerConfiguration conf = b.build();
    net = new MultiLayerNetwork(conf);
    net.init();
  }

  private INDArray input(INDArray rows) {
    return model.equals("mlp") ? rows : rows.reshape('c', rows.size(0), 1, 28, 28);
  }

  private int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** One shuffled pass over the first {@code samples} training samples; returns {last loss, batches}. */
  private double[] trainPass(int samples, int maxBatches) {
    int[] order = permutation(samples);
    int batches = 0;
    for (int start = 0; start < samples && batches < maxBatches; start += batch) {
      int[] idx = Arrays.copyOfRange(order, start, Math.min(samples, start + batch));
      INDArray x = Nd4j.pullRows(xTrain, 1, idx);
      INDArray y = Nd4j.pullRows(yTrain, 1, idx);
      net.fit(new DataSet(input(x), y));
      batches++;
    }
    return new double[] {net.score(), batches};
  }

  private int[] predict(int samples) {
    int[] out = new int[samples];
    for (int start = 0; start < samples; start += inferBatch) {
      int end = Math.min(samples, start + inferBatch);
      INDArray x = xTest.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end),
          org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
      INDArray p = net.output(input(x), false);
      int[] am = p.argMax(1).toIntVector();
      System.arraycopy(am, 0, out, start, am.length);
    }
    return out;
  }

  private String handle(String[] c) {
    switch (c[0]) {
      case "info":
        return String.format(Locale.ROOT, "{\"framework\":\"dl4j\",\"version\":\"1.0.0-M2.1\",\"model\":\"%s\","
            + "\"variant\":\"%s\",\"blas\":\"%s\"}", model, variant, Nd4j.getBlasWrapper().getClass().getSimpleName()
            + " " + Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("blas.vendor", "?"));
      case "gemm": {
        int n = Integer.parseInt(c[1]);
        int reps = Integer.parseInt(c[2]);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray bm = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray out = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < 2; i++) {
          a.mmuli(bm, out);
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
          long s = System.nanoTime();
          a.mmuli(bm, out);
          t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        double flops = 2.0 * n * n * (double) n;
        return String.format(Locale.ROOT, "{\"n\":%d,\"gflops_median\":%.3f,\"gflops_best\":%.3f}", n,
            flops / t[reps / 2] / 1e9, flops / t[0] / 1e9);
      }
      case "warmup": {
        long s = System.nanoTime();
        double[] r = trainPass((int) xTrain.size(0), Integer.parseInt(c[1]));
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"batches\":%d,\"loss\":%.6f}",
            (System.nanoTime() - s) / 1e9, (int) r[1], r[0]);
      }
      case "train": {
        int samples = Math.min(Integer.parseInt(c[1]), (int) xTrain.size(0));
        long s = System.nanoTime();
        double[] r = trainPass(samples, Integer.MAX_VALUE);
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d,\"batches\":%d,\"loss\":%.6f}",
            (System.nanoTime() - s) / 1e9, samples, (int) r[1], r[0]);
      }
      case "infer": {
        int samples = Math.min(Integer.parseInt(c[1]), (int) xTest.size(0));
        long s = System.nanoTime();
        predict(samples);
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d}", (System.nanoTime() - s) / 1e9,
            samples);
      }
      case "epoch": {
        int samples = Math.min(Integer.parseInt(c[1]), (int) xTrain.size(0));
        reset();
        long s = System.nanoTime();
        double[] r = trainPass(samples, Integer.MAX_VALUE);
        double seconds = (System.nanoTime() - s) / 1e9;
        int nTest = Math.min(c.length > 2 ? Integer.parseInt(c[2]) : labelsTest.length, labelsTest.length);
        int[] pred = predict(nTest);
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
          right += pred[i] == labelsTest[i] ? 1 : 0;
        }
        return String.format(Locale.ROOT, "{\"seconds\":%.6f,\"samples\":%d,\"test_samples\":%d,\"loss\":%.6f,"
            + "\"accuracy\":%.6f}", seconds, samples, nTest, r[0], right / (double) pred.length);
      }
      default:
        throw new IllegalArgumentException("unknown command " + c[0]);
    }
  }

  // ---- IDX files (Fashion-MNIST), pixels scaled to [0, 1], images flattened to [N, 784] ----

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return new DataInputStream(new java.io.BufferedInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(in)
        : in, 1 << 16));
  }

  private static INDArray images(Path p) throws IOException {
    try (DataInputStream in = open(p)) {
      in.readInt();
      int n = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] raw = in.readNBytes(n * rows * cols);
      float[] f = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        f[i] = (raw[i] & 0xFF) / 255f;
      }
      return Nd4j.createFromArray(f).reshape('c', n, rows * cols);
    }
  }

  private static int[] labels(Path p) throws IOException {
    try (DataInputStream in = open(p)) {
      in.readInt();
      int n = in.readInt();
      byte[] raw = in.readNBytes(n);
      int[] l = new int[n];
      for (int i = 0; i < n; i++) {
        l[i] = raw[i] & 0xFF;
      }
      return l;
    }
  }

  private static INDArray oneHot(int[] labels) {
    float[] f = new float[labels.length * 10];
    for (int i = 0; i < labels.length; i++) {
      f[i * 10 + labels[i]] = 1f;
    }
    return Nd4j.createFromArray(f).reshape('c', labels.length, 10);
  }

  public static void main(String[] args) throws IOException {
    String model = null;
    String variant = "full";
    Path data = null;
    int batch = 128;
    int inferBatch = 128;
    double lr = 1e-3;
    long seed = 42;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = args[i + 1];
        case "--variant" -> variant = args[i + 1];
        case "--data" -> data = Path.of(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--infer-batch" -> inferBatch = Integer.parseInt(args[i + 1]);
        case "--lr" -> lr = Double.parseDouble(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--threads" -> { } // OMP_NUM_THREADS, set by the driver
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Dl4jWorker w = new Dl4jWorker(model, variant, data, batch, inferBatch, lr, seed);
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
        result = "{\"error\":\"" + (e.getClass().getSimpleName() + ": " + e.getMessage()).replace("\\", "\\\\")
            .replace("\"", "'").replace("\n", " ") + "\"}";
      }
      System.out.println("@@RESULT " + result);
      System.out.flush();
    }
    System.exit(0);
  }
}
