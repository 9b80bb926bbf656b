package dev.regimen.api.tensor;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a CPU kernel written in Java needs: ND4J arrays copied in bulk to and from Java arrays, reusable
 * scratch arrays per thread, and a parallel loop.
 *
 * <p>For the few ops where libnd4j's own kernel is the bottleneck and a plain loop is much faster
 * (max pooling with remembered winners, batch norm). The loops run over Java arrays
 * copied in and out in bulk (one memcpy: under 1 ms for the 12.8 MB of a [128, 32, 28, 28] float32
 * activation here, a small part of a kernel's time), which keeps them plain array code; loops over
 * NIO views of ND4J's off-heap memory were measured and were not faster. A kernel
 * checks {@link #serves} and falls back to ND4J ops otherwise, so other backends keep working. Its
 * results are ND4J arrays made inside the step scope like any other, so the memory rule of {@link
 * StepMemory} holds unchanged; the scratch arrays belong to the thread and are reused step after step.
 */
public final class CpuKernels {
  private CpuKernels() {}

  /** Whether a Java kernel serves x: float32 or float64 on the CPU backend, under 2^31 elements. */
  public static boolean serves(INDArray x) {
    return (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE) && x.length() < Integer.MAX_VALUE
        && Nd4j.getEnvironment().isCPU();
  }

  /** Scratch arrays of this thread, one per slot, grown on demand and reused; valid until the next call with the slot. */
  public static final class Scratch {
    private final float[][] floats = new float[8][];
    private final double[][] doubles = new double[8][];
    private final int[][] ints = new int[8][];

    private Scratch() {}

    /** A float array of at least n elements (its contents are left over from earlier use). */
    public float[] floats(int slot, int n) {
      float[] a = floats[slot];
      if (a == null || a.length < n) {
        floats[slot] = a = new float[n];
      }
      return a;
    }

    /** A double array of at least n elements (its contents are left over from earlier use). */
    public double[] doubles(int slot, int n) {
      double[] a = doubles[slot];
      if (a == null || a.length < n) {
        doubles[slot] = a = new double[n];
      }
      return a;
    }

    /** An int array of at least n elements (its contents are left over from earlier use). */
    public int[] ints(int slot, int n) {
      int[] a = ints[slot];
      if (a == null || a.length < n) {
        ints[slot] = a = new int[n];
      }
      return a;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** This thread's scratch arrays (slots 0 to 7 of each type). */
  public static Scratch scratch() {
    return SCRATCH.get();
  }

  /** Copies a's elements, in C order, into {@code to} (at least a.length() long). */
  public static float[] read(INDArray a, float[] to) {
    INDArray d = dense(a, DataType.FLOAT);
    new FloatPointer(d.data().addressPointer()).get(to, 0, (int) d.length());
    return to;
  }

  /** Copies a's elements, in C order, into {@code to} (at least a.length() long). */
  public static double[] read(INDArray a, double[] to) {
    INDArray d = dense(a, DataType.DOUBLE);
    new DoublePointer(d.data().addressPointer()).get(to, 0, (int) d.length());
    return to;
  }

  /** Copies a's elements, in C order, into {@code to} (at least a.length() long). */
  public static int[] read(INDArray a, int[] to) {
    INDArray d = dense(a, DataType.INT);
    new IntPointer(d.data().addressPointer()).get(to, 0, (int) d.length());
    return to;
  }

  /** Copies the first a.length() elements of {@code from} into a, which must be C-ordered without gaps. */
  public static void write(float[] from, INDArray a) {
    requireDense(a, DataType.FLOAT);
    new FloatPointer(a.data().addressPointer()).put(from, 0, (int) a.length());
  }

  /** Copies the first a.length() elements of {@code from} into a, which must be C-ordered without gaps. */
  public static void write(double[] from, INDArray a) {
    requireDense(a, DataType.DOUBLE);
    new DoublePointer(a.data().addressPointer()).put(from, 0, (int) a.length());
  }

  /** Copies the first a.length() elements of {@code from} into a, which must be C-ordered without gaps. */
  public static void write(int[] from, INDArray a) {
    requireDense(a, DataType.INT);
    new IntPointer(a.data().addressPointer()).put(from, 0, (int) a.length());
  }

  /**
   * Runs {@code body} for every index in [0, count), in blocks of {@code grain} indices spread over the
   * common fork-join pool; a body must write only its own index's data.
   */
  public static void parallelFor(int count, int grain, IntConsumer body) {
    int g = Math.max(1, grain);
    int blocks = (count + g - 1) / g;
    IntStream range = IntStream.range(0, blocks);
    (blocks > 1 ? range.parallel() : range).forEach(b -> {
      int end = Math.min(count, (b + 1) * g);
      for (int i = b * g; i < end; i++) {
        body.accept(i);
      }
    });
  }

  /** Whether a's elements lie in C order without gaps from its first one (strides of size-1 axes do not matter). */
  public static boolean isDense(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  private static INDArray dense(INDArray a, DataType type) {
    if (a.dataType() != type) {
      throw new IllegalArgumentException("a " + type + " array is needed, not " + a.dataType());
    }
    return isDense(a) ? a : a.dup('c');
  }

  private static void requireDense(INDArray a, DataType type) {
    if (a.dataType() != type || !isDense(a)) {
      throw new IllegalArgumentException("a " + type + " array in C order without gaps is needed, not "
          + a.dataType() + " " + a.shapeInfoToString().replace('\n', ' '));
    }
  }
}
