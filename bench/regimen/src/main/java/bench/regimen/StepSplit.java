package bench.regimen;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.Losses;
import dev.regimen.core.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes, by kind of work: the step as {@link OpProfile} runs it (forward,
 * loss, backward, Adam, inside a StepMemory scope), sampled by Java Flight Recorder every millisecond,
 * each sample of the training thread put in one category by its stack:
 *
 * <ul>
 *   <li>in native code: allocation and release when the native call is an allocation, a workspace or
 *       a deallocation; else the op that called it, found as the innermost Regimen frame that names
 *       one (matmul and dense layers; convolution; pooling; batch norm; the optimizer; everything else
 *       is elementwise and reductions);
 *   <li>in Java: the same op categories for Regimen's own CPU kernels (max pooling, batch norm's
 *       backward), allocation and release for ND4J's Java side of it, and Java overhead for the rest
 *       (the autograd graph, op dispatch, argument building).
 * </ul>
 *
 * Each category's share of the samples is scaled to the measured step time. ND4J's own worker
 * threads are native and not sampled: the split is of the training thread's time, which is the
 * step's time; while that thread waits (for the fork-join workers of a Java kernel, which it helps,
 * or for the GC) it is not sampled, so such waits spread over the categories. JFR takes fewer samples
 * than one per millisecond (here about two thirds); a few thousand samples give about 1% per category.
 */
final class StepSplit {
  private StepSplit() {}

  enum Category {
    MATMUL("matmul (dense layers)"),
    CONVOLUTION("convolution"),
    POOLING("pooling"),
    BATCH_NORM("batch norm"),
    OPTIMIZER("optimizer (Adam)"),
    ELEMENTWISE("elementwise and reductions"),
    ALLOCATION("allocation and release"),
    JAVA("Java overhead (graph, dispatch)");

    final String label;

    Category(String label) {
      this.label = label;
    }
  }

  static void run(String kind, int steps) throws IOException {
    String variant = RegimenWorker.chooseVariant(RegimenWorker.layerRegistry());
    Sequential net = OpProfile.builtModel(kind);
    List<Parameter> params = Layers.parameters(net);
    Adam adam = new Adam(1e-3);
    Tensor[] batch = OpProfile.randomBatch();
    Tensor x = batch[0];
    Tensor y = batch[1];
    long n = x.size(0);
    Runnable step = () -> {
      try (StepMemory.Scope scope = StepMemory.open("train")) {
        Tensor loss = Losses.softmaxCrossEntropy(net.forward(x, ForwardContext.training(new Rng(7))), y);
        loss.item();
        loss.backward();
        adam.step(params);
        for (Parameter p : params) {
          p.value().zeroGrad();
        }
      }
    };
    for (int i = 0; i < 5; i++) {
      step.run();
    }
    Path file = Files.createTempFile("regimen-step-split", ".jfr");
    long wall;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        step.run();
      }
      wall = System.nanoTime() - t0;
      recording.stop();
      recording.dump(file);
    }
    Map<Category, Integer> counts = new EnumMap<>(Category.class);
    // -Dprofile.split.top=K: the K most sampled places of each kind (innermost frame and first Regimen frame).
    int top = Integer.getInteger("profile.split.top", 0);
    Map<Category, Map<String, Integer>> frames = new EnumMap<>(Category.class);
    String thread = Thread.currentThread().getName();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      boolean nativeSample = type.equals("jdk.NativeMethodSample");
      if (!nativeSample && !type.equals("jdk.ExecutionSample")) {
        continue;
      }
      if (e.getThread("sampledThread") == null || !thread.equals(e.getThread("sampledThread").getJavaName())
          || e.getStackTrace() == null) {
        continue;
      }
      Category category = classify(e.getStackTrace().getFrames(), nativeSample);
      counts.merge(category, 1, Integer::sum);
      if (top > 0) {
        frames.computeIfAbsent(category, c -> new java.util.HashMap<>())
            .merge(where(e.getStackTrace().getFrames()), 1, Integer::sum);
      }
      total++;
    }
    Files.deleteIfExists(file);
    double stepMs = wall / 1e6 / steps;
    System.out.printf(Locale.ROOT, "Regimen training step, %s (%s), batch %d: %.1f ms (%.0f samples/s), split by kind"
        + " of work from %d JFR samples of the training thread over %d steps:%n", kind, variant, n, stepMs,
        n / stepMs * 1e3, total, steps);
    for (Category c : Category.values()) {
      double share = total == 0 ? 0 : counts.getOrDefault(c, 0) / (double) total;
      System.out.printf(Locale.ROOT, "  %-40s %7.1f ms  %5.1f%%%n", c.label, share * stepMs, 100 * share);
      if (top > 0 && frames.containsKey(c)) {
        int all = total;
        frames.get(c).entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
            .forEach(f -> System.out.printf(Locale.ROOT, "      %6.2f ms  %s%n", f.getValue() * stepMs / all,
                f.getKey()));
      }
    }
  }

  /** A sample's place: its innermost frame, and the first Regimen frame outside it. */
  private static String where(List<RecordedFrame> frames) {
    String inner = frames.isEmpty() ? "?" : name(frames.get(0));
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("dev.regimen.")) {
        return inner + "  <-  " + name(f);
      }
    }
    return inner;
  }

  private static String name(RecordedFrame f) {
    String cls = f.getMethod().getType().getName();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
  }

  /** The category of one sample; frames[0] is the innermost. */
  static Category classify(List<RecordedFrame> frames, boolean inNative) {
    // Allocation and release: an allocating or releasing frame before (inside) the first Regimen frame.
    for (RecordedFrame f : frames) {
      String cls = f.getMethod().getType().getName();
      String method = f.getMethod().getName();
      if (cls.startsWith("dev.regimen.") && !cls.equals("dev.regimen.api.tensor.CpuKernels")) {
        break;
      }
      if (isAllocation(cls, method)) {
        return Category.ALLOCATION;
      }
    }
    boolean kernel = false;
    for (RecordedFrame f : frames) {
      String cls = f.getMethod().getType().getName();
      String method = f.getMethod().getName();
      if (cls.endsWith("MaxPoolKernel") || cls.endsWith("NormKernels") || cls.endsWith("CpuKernels")) {
        kernel = true;
      }
      if (!cls.startsWith("dev.regimen.")) {
        continue;
      }
      if (cls.startsWith("dev.regimen.core.optim.")) {
        return Category.OPTIMIZER;
      }
      if (cls.startsWith("dev.regimen.plugins.normalization.")) {
        return inNative || kernel ? Category.BATCH_NORM : Category.JAVA;
      }
      if (cls.endsWith("MaxPoolKernel") || method.contains("pool2d") || method.contains("Pool2d")) {
        return inNative || kernel ? Category.POOLING : Category.JAVA;
      }
      if (method.contains("conv2d")) {
        return inNative ? Category.CONVOLUTION : Category.JAVA;
      }
      if (method.contains("matmul") || method.contains("linear")) {
        return inNative ? Category.MATMUL : Category.JAVA;
      }
    }
    return inNative ? Category.ELEMENTWISE : Category.JAVA;
  }

  private static boolean isAllocation(String cls, String method) {
    return cls.startsWith("org.nd4j.linalg.api.memory.") || cls.startsWith("org.nd4j.linalg.cpu.nativecpu.workspace.")
        || cls.startsWith("org.nd4j.linalg.api.buffer.") || cls.startsWith("org.nd4j.linalg.cpu.nativecpu.buffer.")
        || cls.startsWith("org.bytedeco.javacpp.Pointer") || cls.equals("org.bytedeco.javacpp.Pointer$DeallocatorThread")
        || (cls.equals("org.nd4j.linalg.factory.Nd4j") && (method.startsWith("create") || method.equals("zeros")
            || method.equals("ones") || method.equals("zerosLike")))
        || cls.endsWith("StepMemory");
  }
}
