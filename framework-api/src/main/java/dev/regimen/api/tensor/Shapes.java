package dev.regimen.api.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape arithmetic and checks shared by the ops; every failure names the op and the shapes involved. */
final class Shapes {
  private Shapes() {}

  /** The NumPy broadcast of two shapes, or a {@link ShapeException} naming the op and both shapes. */
  static long[] broadcast(String op, long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
            + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Sums a gradient over the dimensions along which an operand of shape {@code shape} was broadcast. */
  static INDArray unbroadcast(INDArray g, long[] shape) {
    long[] gs = g.shape();
    if (Arrays.equals(gs, shape)) {
      return g;
    }
    int extra = gs.length - shape.length;
    int count = 0;
    int[] axes = new int[gs.length];
    for (int i = 0; i < gs.length; i++) {
      if (i < extra || (shape[i - extra] == 1 && gs[i] != 1)) {
        axes[count++] = i;
      }
    }
    INDArray reduced = count == 0 ? g : g.sum(true, Arrays.copyOf(axes, count));
    return reduced.reshape(shape);
  }

  static long[] reducedShape(long[] shape, int[] axes, boolean keepDims) {
    boolean[] reduced = new boolean[shape.length];
    for (int a : axes) {
      reduced[a] = true;
    }
    long[] out = new long[shape.length];
    int n = 0;
    for (int i = 0; i < shape.length; i++) {
      if (!reduced[i]) {
        out[n++] = shape[i];
      } else if (keepDims) {
        out[n++] = 1;
      }
    }
    return Arrays.copyOf(out, n);
  }

  static long[] resolveReshape(long[] from, long[] to) {
    long total = 1;
    for (long d : from) {
      total *= d;
    }
    long known = 1;
    int free = -1;
    long[] out = to.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        if (free >= 0) {
          throw new ShapeException("reshape: only one dimension may be -1; got " + Arrays.toString(to));
        }
        free = i;
      } else if (out[i] <= 0) {
        throw new ShapeException("reshape: dimensions must be positive; got " + Arrays.toString(to));
      } else {
        known *= out[i];
      }
    }
    if (free >= 0 && known > 0 && total % known == 0) {
      out[free] = total / known;
      known *= out[free];
    }
    if (known != total) {
      throw new ShapeException("reshape: cannot view shape " + Arrays.toString(from) + " (" + total
          + " elements) as " + Arrays.toString(to));
    }
    return out;
  }

  static void requirePermutation(long[] shape, int[] dims) {
    boolean[] seen = new boolean[shape.length];
    boolean ok = dims.length == shape.length;
    for (int d : dims) {
      ok &= d >= 0 && d < shape.length && !seen[d];
      if (ok) {
        seen[d] = true;
      }
    }
    if (!ok) {
      throw new ShapeException("permute: " + Arrays.toString(dims) + " is not a permutation of the dimensions of shape "
          + Arrays.toString(shape));
    }
  }

  static void requireConcat(int axis, long[][] shapes) {
    long[] first = shapes[0];
    for (long[] s : shapes) {
      boolean ok = s.length == first.length;
      for (int i = 0; ok && i < s.length; i++) {
        ok = i == axis || s[i] == first[i];
      }
      if (!ok) {
        throw new ShapeException("concat along axis " + axis + ": shapes " + Arrays.toString(first) + " and "
            + Arrays.toString(s) + " differ outside that axis");
      }
    }
  }

  static void requireMatmul(long[] a, long[] b) {
    boolean ranksOk = (a.length == 2 && b.length == 2) || (a.length == 3 && b.length == 3 && a[0] == b[0]);
    if (!ranksOk || a[a.length - 1] != b[b.length - 2]) {
      throw new ShapeException("matmul: shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
          + " do not multiply (need [m, k] x [k, n], or [b, m, k] x [b, k, n])");
    }
  }

  static void requireSame(String op, long[] a, long[] b) {
    if (!Arrays.equals(a, b)) {
      throw new ShapeException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " differ");
    }
  }

  static void requireRank(String op, String what, long[] shape, int rank) {
    if (shape.length != rank) {
      throw new ShapeException(op + ": " + what + " must have rank " + rank + "; got shape " + Arrays.toString(shape));
    }
  }
}
