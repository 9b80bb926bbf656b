package bench.regimen;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.NativeBuild;
import dev.regimen.api.tensor.Pool2dSpec;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.Losses;
import dev.regimen.core.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a Regimen training step spends its time: (1) the raw libnd4j ops the benchmark's models need,
 * at batch 128, called directly (the floor any ND4J-based framework can reach); (2) fused libnd4j ops
 * against what Regimen does instead (Adam, ReLU's backward); (3) a Regimen training step of each model
 * (full or plain, as the benchmark's worker chooses) split into forward per layer, loss, backward and
 * optimizer step. Run from bench/ (plugins from target/plugins, as the worker).
 *
 * <p>{@code bench/profile} runs it with the benchmark's threading and memory settings.
 */
public final class OpProfile {
  private static final int N = 128;
  private static int reps = 20;

  private static double medianMs(Runnable r) {
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long s = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(t);
    return t[reps / 2];
  }

  private static void row(String what, double ms, double flops) {
    System.out.printf(Locale.ROOT, "  %-58s %9.3f ms %s%n", what, ms,
        flops > 0 ? String.format(Locale.ROOT, "%7.1f GFLOP/s", flops / ms / 1e6) : "");
  }

  private static void conv(String label, long c, long h, long o) {
    INDArray x = Nd4j.rand(DataType.FLOAT, N, c, h, h);
    INDArray w = Nd4j.rand(DataType.FLOAT, o, c, 3, 3);
    INDArray b = Nd4j.rand(DataType.FLOAT, o);
    INDArray out = Nd4j.create(DataType.FLOAT, N, o, h, h);
    INDArray g = Nd4j.rand(DataType.FLOAT, N, o, h, h);
    INDArray gx = Nd4j.create(DataType.FLOAT, N, c, h, h);
    INDArray gw = Nd4j.create(DataType.FLOAT, o, c, 3, 3);
    INDArray gb = Nd4j.create(DataType.FLOAT, o);
    int[] iArgs = {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1};
    double flops = 2.0 * N * o * h * h * c * 9;
    row("conv2d    " + label, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b)
        .addOutputs(out).addIntegerArguments(iArgs).build())), flops);
    row("conv2d_bp " + label, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g)
        .addOutputs(gx, gw, gb).addIntegerArguments(iArgs).build())), 2 * flops);
  }

  /**
   * The first convolution's weight and bias gradients (its input needs no gradient), four ways:
   * libnd4j's {@code conv2d_bp} with and without its oneDNN helper (both also compute the input
   * gradient), and im2col followed by one batched matmul g_n col_n^T summed over n, or by one gemm
   * over permuted copies.
   */
  private static void firstConvWeightGradient(long c, long h, long o) {
    INDArray x = Nd4j.rand(DataType.FLOAT, N, c, h, h);
    INDArray w = Nd4j.rand(DataType.FLOAT, o, c, 3, 3);
    INDArray b = Nd4j.rand(DataType.FLOAT, o);
    INDArray g = Nd4j.rand(DataType.FLOAT, N, o, h, h);
    INDArray gx = Nd4j.create(DataType.FLOAT, N, c, h, h);
    INDArray gw = Nd4j.create(DataType.FLOAT, o, c, 3, 3);
    INDArray gb = Nd4j.create(DataType.FLOAT, o);
    int[] iArgs = {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1};
    String label = "[" + N + "," + c + "," + h + "," + h + "] * [" + o + "," + c + ",3,3]";
    row("conv2d_bp (oneDNN) " + label, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
        .addInputs(x, w, b, g).addOutputs(gx, gw, gb).addIntegerArguments(iArgs).build())), 0);
    row("conv2d_bp (libnd4j) " + label, medianMs(() -> {
      DynamicCustomOp op = DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g).addOutputs(gx, gw, gb)
          .addIntegerArguments(iArgs).build();
      try (org.nd4j.linalg.api.ops.OpContext ctx = Nd4j.getExecutioner().buildContext()) {
        ctx.allowHelpers(false);
        ctx.setInputArrays(op.inputArguments());
        ctx.setOutputArrays(op.outputArguments());
        ctx.setIArguments(op.iArgs());
        Nd4j.getExecutioner().exec(op, ctx);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }), 0);
    INDArray col = Nd4j.create(DataType.FLOAT, N, c, 3, 3, h, h);
    Runnable im2col = () -> Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(col)
        .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 0).addFloatingPointArguments(0.0).build());
    row("im2col " + label, medianMs(im2col), 0);
    INDArray batched = Nd4j.create(DataType.FLOAT, N, o, c * 9);
    row("im2col + batched matmul + sum " + label, medianMs(() -> {
      im2col.run();
      INDArray cols = col.reshape(N, c * 9, h * h);
      INDArray gs = g.reshape(N, o, h * h);
      Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(gs, cols).addOutputs(batched)
          .addIntegerArguments(0, 1).build());
      batched.sum(gw.reshape(o, c * 9), 0);
      g.sum(gb, 0, 2, 3);
    }), 0);
    INDArray gemm = Nd4j.create(DataType.FLOAT, o, c * 9);
    row("im2col + permuted copies + gemm " + label, medianMs(() -> {
      im2col.run();
      INDArray cols = col.reshape(N, c * 9, h * h).permute(1, 0, 2).dup('c').reshape(c * 9, N * h * h);
      INDArray gs = g.reshape(N, o, h * h).permute(1, 0, 2).dup('c').reshape(o, N * h * h);
      Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(gs, cols).addOutputs(gemm)
          .addIntegerArguments(0, 1).build());
      gs.sum(gb, 1);
    }), 0);
    double[] ref = gw.dup().data().asDouble();
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g).addOutputs(gx, gw, gb)
        .addIntegerArguments(iArgs).build());
    double[] bp = gw.data().asDouble();
    double diff = 0;
    for (int i = 0; i < bp.length; i++) {
      diff = Math.max(diff, Math.abs(bp[i] - gemm.data().getDouble(i)) / (1 + Math.abs(bp[i])));
      diff = Math.max(diff, Math.abs(bp[i] - ref[i]) / (1 + Math.abs(bp[i])));
    }
    System.out.printf(Locale.ROOT, "  (largest relative difference of the weight gradients: %.2e)%n", diff);
  }

  private static void pool(String label, long c, long h) {
    INDArray x = Nd4j.rand(DataType.FLOAT, N, c, h, h);
    INDArray out = Nd4j.create(DataType.FLOAT, N, c, h / 2, h / 2);
    INDArray g = Nd4j.rand(DataType.FLOAT, N, c, h / 2, h / 2);
    INDArray gx = Nd4j.create(DataType.FLOAT, N, c, h, h);
    int[] iArgs = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0};
    row("maxpool2d    " + label, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x)
        .addOutputs(out).addIntegerArguments(iArgs).build())), 0);
    row("maxpool2d_bp " + label, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, g)
        .addOutputs(gx).addIntegerArguments(iArgs).build())), 0);
    // What Regimen's layers run (Tensor.maxPool2d: its own CPU loops, winners remembered), in a step scope.
    Pool2dSpec spec = Pool2dSpec.of(2, 2, 0);
    double fwd = medianMs(() -> {
      try (StepMemory.Scope scope = StepMemory.open("profile")) {
        Tensor.of(x).maxPool2d(spec);
      }
    });
    Tensor p = Tensor.parameter(x); // once: its gradient buffer persists, as a parameter's does
    double both = medianMs(() -> {
      try (StepMemory.Scope scope = StepMemory.open("profile")) {
        p.maxPool2d(spec).backward(g);
      }
    });
    row("Tensor.maxPool2d forward  " + label, fwd, 0);
    row("Tensor.maxPool2d backward " + label, both - fwd, 0); // with the add into the input's gradient
  }

  /** The three libnd4j ops the normalization plugin's batch norm runs in training (FusedNorm). */
  private static void batchNorm(long... shape) {
    INDArray x = Nd4j.randn(DataType.FLOAT, shape);
    long c = shape[1];
    int[] reduce = shape.length == 4 ? new int[] {0, 2, 3} : new int[] {0};
    INDArray mean = Nd4j.create(DataType.FLOAT, c);
    INDArray var = Nd4j.create(DataType.FLOAT, c);
    INDArray gamma = Nd4j.ones(DataType.FLOAT, c);
    INDArray beta = Nd4j.zeros(DataType.FLOAT, c);
    INDArray y = Nd4j.create(DataType.FLOAT, shape);
    INDArray g = Nd4j.rand(DataType.FLOAT, shape);
    INDArray dx = Nd4j.create(DataType.FLOAT, shape);
    INDArray[] small = {Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c),
        Nd4j.create(DataType.FLOAT, c)};
    String s = Arrays.toString(shape);
    row("moments      " + s, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x)
        .addOutputs(mean, var).addIntegerArguments(reduce).build())), 0);
    row("batchnorm    " + s, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(x, mean, var, gamma, beta).addOutputs(y).addIntegerArguments(1, 1, 1)
        .addFloatingPointArguments(1e-5).build())), 0);
    row("batchnorm_bp " + s, medianMs(() -> Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
        .addInputs(x, mean, var, gamma, beta, g).addOutputs(dx, small[0], small[1], small[2], small[3])
        .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build())), 0);
  }

  /**
   * One matmul as Regimen's layers call it ({@code Nd4j.matmul} with transpose flags, the oneDNN matmul in
   * the oneDNN builds): [m x k] @ [k x n], with the left operand stored transposed ([k x m], as a dense
   * layer's weight gradient x^T g reads its input) or the right one ([n x k], as the input gradient g W^T
   * reads the weight).
   */
  private static void mmul(long m, long k, long n, boolean transposeA, boolean transposeB) {
    INDArray a = transposeA ? Nd4j.rand(DataType.FLOAT, k, m) : Nd4j.rand(DataType.FLOAT, m, k);
    INDArray b = transposeB ? Nd4j.rand(DataType.FLOAT, n, k) : Nd4j.rand(DataType.FLOAT, k, n);
    INDArray c = Nd4j.create(DataType.FLOAT, m, n);
    String label = "matmul [" + (transposeA ? k + "x" + m + "]^T" : m + "x" + k + "]") + " @ ["
        + (transposeB ? n + "x" + k + "]^T" : k + "x" + n + "]");
    row(label, medianMs(() -> Nd4j.matmul(a, b, c, transposeA, transposeB, false)), 2.0 * m * k * n);
    if (Boolean.getBoolean("profile.matmul.alloc")) {
      row("  the same, a new output in a step scope (as layers call it)", medianMs(() -> {
        try (StepMemory.Scope scope = StepMemory.open("profile")) {
          Nd4j.matmul(a, b, transposeA, transposeB, false);
        }
      }), 2.0 * m * k * n);
      row("  the same, preallocated output, inside a step scope", medianMs(() -> {
        try (StepMemory.Scope scope = StepMemory.open("profile")) {
          Nd4j.matmul(a, b, c, transposeA, transposeB, false);
        }
      }), 2.0 * m * k * n);
      row("  a step scope with one new output of that shape and no matmul", medianMs(() -> {
        try (StepMemory.Scope scope = StepMemory.open("profile")) {
          Nd4j.createUninitialized(DataType.FLOAT, m, n);
        }
      }), 0);
      row("  a new output outside any scope, matmul into it", medianMs(() -> {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, m, n);
        Nd4j.matmul(a, b, out, transposeA, transposeB, false);
      }), 2.0 * m * k * n);
    }
  }

  /** The benchmark's model of this kind, full when the plugins are there, built for 28x28 images and named. */
  static Sequential builtModel(String kind) {
    ComponentRegistry registry = RegimenWorker.layerRegistry();
    Sequential net = RegimenWorker.buildModel(registry, kind, RegimenWorker.chooseVariant(registry));
    Layers.assignNames(net);
    net.build(new long[] {1, 28, 28}, new Rng(42));
    return net;
  }

  /** A batch of N random images and its labels (all class 3). */
  static Tensor[] randomBatch() {
    return new Tensor[] {Tensor.of(Nd4j.rand(DataType.FLOAT, N, 1, 28, 28)),
        Tensor.of(Nd4j.createFromArray(new float[N]).addi(3))};
  }

  private static void regimenStep(String kind) {
    String variant = RegimenWorker.chooseVariant(RegimenWorker.layerRegistry());
    Sequential net = builtModel(kind);
    List<Parameter> params = Layers.parameters(net);
    Adam adam = new Adam(1e-3);
    Tensor[] batch = randomBatch();
    Tensor x = batch[0];
    Tensor y = batch[1];
    List<Layer> layers = net.children();
    double[] fwd = new double[layers.size()];
    double[] phase = new double[4];
    int steps = reps * 2;
    for (int s = -3; s < steps; s++) {
      // As Trainer.fit does: the whole step inside a StepMemory scope (its arrays released at the end).
      StepMemory.Scope ws = StepMemory.open("train");
      ForwardContext ctx = ForwardContext.training(new Rng(s + 100));
      Tensor h = x;
      for (int i = 0; i < layers.size(); i++) {
        long t = System.nanoTime();
        h = layers.get(i).forward(h, ctx);
        if (s >= 0) {
          fwd[i] += System.nanoTime() - t;
        }
      }
      long t0 = System.nanoTime();
      Tensor loss = Losses.softmaxCrossEntropy(h, y);
      double value = loss.item();
      long t1 = System.nanoTime();
      for (Parameter p : params) {
        p.value().zeroGrad();
      }
      loss.backward();
      long t2 = System.nanoTime();
      adam.step(params);
      long t3 = System.nanoTime();
      for (Parameter p : params) {
        p.value().zeroGrad();
      }
      ws.close();
      if (s >= 0) {
        phase[0] += t1 - t0;
        phase[1] += t2 - t1;
        phase[2] += t3 - t2;
      }
      if (!Double.isFinite(value)) {
        throw new IllegalStateException("loss " + value);
      }
    }
    double total = 0;
    System.out.println("Regimen training step, " + kind + " (" + variant + "), batch " + N + ", mean of " + steps + " steps"
        + ", inside a StepMemory scope as in Trainer.fit:");
    for (int i = 0; i < layers.size(); i++) {
      double ms = fwd[i] / steps / 1e6;
      total += ms;
      row("forward " + layers.get(i).name(), ms, 0);
    }
    String[] names = {"softmax cross-entropy (+ item())", "backward (whole graph)", "adam step (all parameters)"};
    for (int i = 0; i < 3; i++) {
      double ms = phase[i] / steps / 1e6;
      total += ms;
      row(names[i], ms, 0);
    }
    row("total = " + String.format(Locale.ROOT, "%.0f samples/s", N / total * 1e3), total, 0);
  }

  /** Regimen's Adam (dev.regimen.core.optim.Adam) against libnd4j's fused adam_updater, MLP shapes. */
  private static void adam() {
    long[][] shapes = {{784, 512}, {512}, {512, 512}, {512}, {512, 10}, {10}};
    List<Parameter> params = new ArrayList<>();
    Tensor loss = null;
    for (int i = 0; i < shapes.length; i++) {
      Tensor p = Tensor.parameter(Nd4j.rand(DataType.FLOAT, shapes[i]));
      params.add(new Parameter("p" + i, p, true));
      Tensor term = p.mul(Tensor.of(Nd4j.rand(DataType.FLOAT, shapes[i]))).sum();
      loss = loss == null ? term : loss.add(term);
    }
    loss.backward();
    Adam regimenAdam = new Adam(1e-3);
    row("Regimen Adam.step, MLP's 669,706 parameters", medianMs(() -> regimenAdam.step(params)), 0);
    List<INDArray[]> state = new ArrayList<>();
    for (Parameter p : params) {
      INDArray g = p.value().grad();
      state.add(new INDArray[] {g.dup(), Nd4j.zerosLike(g), Nd4j.zerosLike(g), g});
    }
    int[] iteration = {0};
    row("libnd4j adam_updater + subi, same parameters", medianMs(() -> {
      iteration[0]++;
      for (int i = 0; i < params.size(); i++) {
        INDArray[] s = state.get(i);
        s[0].assign(s[3]);
        Nd4j.exec(new AdamUpdater(s[0], s[1], s[2], 1e-3, 0.9, 0.999, 1e-8, iteration[0]));
        params.get(i).value().array().subi(s[0]);
      }
    }), 0);
  }

  /** Tensor.relu()'s backward (three ops, two temporaries) against libnd4j's fused relu_bp. */
  private static void reluBackward(long... shape) {
    INDArray x = Nd4j.randn(DataType.FLOAT, shape);
    INDArray g = Nd4j.rand(DataType.FLOAT, shape);
    INDArray out = Nd4j.create(DataType.FLOAT, shape);
    row("relu backward as Tensor.relu does it " + Arrays.toString(shape),
        medianMs(() -> g.mul(x.gt(0.0).castTo(x.dataType()))), 0);
    row("relu_bp (fused, preallocated output) " + Arrays.toString(shape), medianMs(() -> Nd4j.exec(
        DynamicCustomOp.builder("relu_bp").addInputs(x, g).addOutputs(out).addFloatingPointArguments(0.0).build())), 0);
    row("relu backward as a Java pass over copies " + Arrays.toString(shape), medianMs(() -> {
      int n = (int) x.length();
      dev.regimen.api.tensor.CpuKernels.Scratch scratch = dev.regimen.api.tensor.CpuKernels.scratch();
      float[] xs = dev.regimen.api.tensor.CpuKernels.read(x, scratch.floats(0, n));
      float[] gs = dev.regimen.api.tensor.CpuKernels.read(g, scratch.floats(1, n));
      dev.regimen.api.tensor.CpuKernels.parallelFor(2, 1, b -> {
        for (int i = b * n / 2; i < (b + 1) * n / 2; i++) {
          gs[i] = xs[i] > 0 ? gs[i] : 0f;
        }
      });
      dev.regimen.api.tensor.CpuKernels.write(gs, out);
    }), 0);
    row("relu forward, max(x, 0) into a new array " + Arrays.toString(shape),
        medianMs(() -> org.nd4j.linalg.ops.transforms.Transforms.max(x, 0.0, true)), 0);
    row("copy (dup) " + Arrays.toString(shape), medianMs(() -> x.dup()), 0);
  }

  public static void main(String[] args) throws java.io.IOException {
    NativeBuild.select();
    List<String> what = args.length == 0 ? List.of("ops", "fused", "mlp", "cnn", "split") : List.of(args);
    reps = Integer.getInteger("profile.reps", 20);
    Supplier<String> env = () -> "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", platform extension '"
        + System.getProperty("org.bytedeco.javacpp.platform.extension", "") + "'";
    System.out.println("libnd4j ops at batch " + N + " (median of " + reps + " calls), " + env.get());
    if (what.contains("ops")) {
      // The MLP's dense layers (784-512-512-10) and the CNN's first dense (3136-128): forward x W,
      // input gradient g W^T (not for the first layer, whose input needs none), weight gradient x^T g.
      mmul(1024, 1024, 1024, false, false);
      mmul(N, 784, 512, false, false);
      mmul(784, N, 512, true, false);
      mmul(N, 512, 512, false, false);
      mmul(N, 512, 512, false, true);
      mmul(512, N, 512, true, false);
      mmul(N, 512, 10, false, false);
      mmul(N, 10, 512, false, true);
      mmul(512, N, 10, true, false);
      mmul(N, 3136, 128, false, false);
      mmul(3136, N, 128, true, false);
      conv("[128,1,28,28] * [32,1,3,3] pad 1", 1, 28, 32);
      conv("[128,32,14,14] * [64,32,3,3] pad 1", 32, 14, 64);
      pool("[128,32,28,28]", 32, 28);
      pool("[128,64,14,14]", 64, 14);
      batchNorm(N, 512);
      batchNorm(N, 32, 28, 28);
      batchNorm(N, 64, 14, 14);
    }
    if (what.contains("conv1")) {
      firstConvWeightGradient(1, 28, 32);
      firstConvWeightGradient(32, 14, 64);
    }
    if (what.contains("fused")) {
      adam();
      reluBackward(N, 512);
      reluBackward(N, 32, 28, 28);
    }
    for (String kind : List.of("mlp", "cnn")) {
      if (what.contains(kind)) {
        regimenStep(kind);
      }
      if (what.contains("split")) {
        StepSplit.run(kind, Integer.getInteger("profile.split.steps", kind.equals("mlp") ? 400 : 60));
      }
    }
    System.exit(0);
  }
}
