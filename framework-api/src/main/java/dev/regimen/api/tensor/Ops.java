package dev.regimen.api.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The array kernels behind {@link Tensor}'s ops: ND4J calls, one or a few whole-array ops each, never a Java loop over elements. */
final class Ops {
  private Ops() {}

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

  enum Comparison { GT, LT, GE, LE, EQ }

  // ND4J's scalar ops silently replace a NaN scalar (x.mul(NaN) gives 1e-5 * x, x.add(NaN) gives x);
  // a NaN must propagate, so it goes through a broadcast array op instead.

  static INDArray addScalar(INDArray x, double c) {
    return Double.isNaN(c) ? x.add(Nd4j.scalar(x.dataType(), c)) : x.add(c);
  }

  static INDArray mulScalar(INDArray x, double c) {
    return Double.isNaN(c) ? x.mul(Nd4j.scalar(x.dataType(), c)) : x.mul(c);
  }

  static INDArray divScalar(INDArray x, double c) {
    return Double.isNaN(c) ? x.div(Nd4j.scalar(x.dataType(), c)) : x.div(c);
  }

  static INDArray pow(INDArray x, double p) {
    return Transforms.pow(x, p, true);
  }

  static INDArray exp(INDArray x) {
    return Transforms.exp(x, true);
  }

  static INDArray log(INDArray x) {
    return Transforms.log(x, true);
  }

  static INDArray sqrt(INDArray x) {
    return Transforms.sqrt(x, true);
  }

  static INDArray abs(INDArray x) {
    return Transforms.abs(x, true);
  }

  static INDArray sign(INDArray x) {
    return Transforms.sign(x, true);
  }

  static INDArray sigmoid(INDArray x) {
    return Transforms.sigmoid(x, true);
  }

  static INDArray tanh(INDArray x) {
    return Transforms.tanh(x, true);
  }

  static INDArray relu(INDArray x) {
    return Transforms.max(x, 0.0, true);
  }

  /**
   * max(0, x W + b) for x [N, in], W [in, out], b [out] or null: libnd4j's {@code relu_layer} (one call), or
   * without a bias or for a single row (which {@code relu_layer}'s validation refuses) the product with
   * the bias and the ReLU applied in place. Measured at the benchmark MLP's
   * [128, 512] x [512, 512]: forward 0.61-0.64 ms against 0.68-0.72 for product, bias and ReLU as
   * separate ops; a Java loop over bulk copies was slower (0.86-0.91).
   */
  static INDArray linearRelu(INDArray x, INDArray w, INDArray b) {
    if (b == null || x.size(0) == 1) {
      INDArray y = matmul(x, w, false, false);
      return Transforms.max(b == null ? y : y.addiRowVector(b), 0.0, false);
    }
    INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), w.size(1));
    Nd4j.exec(DynamicCustomOp.builder("relu_layer").addInputs(x, w, b).addOutputs(y).build());
    return y;
  }

  /** relu's gradient, g where x &gt; 0 else 0, in libnd4j's fused {@code relu_bp}. */
  static INDArray reluBackward(INDArray x, INDArray g) {
    INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
    Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(x, g).addOutputs(out).addFloatingPointArguments(0.0).build());
    return out;
  }

  /** {@code x} itself when its elements lie in C order without gaps, else a C-ordered copy. */
  static INDArray contiguous(INDArray x) {
    return CpuKernels.isDense(x) ? x : x.dup('c');
  }

  static INDArray clamp(INDArray x, double min, double max) {
    return Transforms.min(Transforms.max(x, min, true), max, false);
  }

  /** 1 where min &lt; x &lt; max, else 0. */
  static INDArray insideOpen(INDArray x, double min, double max) {
    return x.gt(min).castTo(x.dataType()).muli(x.lt(max).castTo(x.dataType()));
  }

  static INDArray leakyRelu(INDArray x, double alpha) {
    return x.mul(leakyReluSlope(x, alpha));
  }

  /** 1 where x &gt; 0, alpha elsewhere. */
  static INDArray leakyReluSlope(INDArray x, double alpha) {
    return x.gt(0.0).castTo(x.dataType()).muli(1.0 - alpha).addi(alpha);
  }

  /** relu(x) + alpha (e^min(x, 0) - 1). */
  static INDArray elu(INDArray x, double alpha) {
    INDArray negative = Transforms.exp(Transforms.min(x, 0.0, true), false).subi(1.0).muli(alpha);
    return relu(x).addi(negative);
  }

  /** 1 where x &gt; 0, y + alpha elsewhere. */
  static INDArray eluSlope(INDArray x, INDArray y, double alpha) {
    INDArray positive = x.gt(0.0).castTo(x.dataType());
    return y.add(alpha).muli(positive.rsub(1.0)).addi(positive);
  }

  /** Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
  static INDArray normalCdf(INDArray x) {
    INDArray scaled = x.mul(SQRT_HALF);
    Nd4j.getExecutioner().exec(new Erf(scaled, scaled));
    return scaled.addi(1.0).muli(0.5);
  }

  /** phi(x) = e^(-x^2 / 2) / sqrt(2 pi). */
  static INDArray normalPdf(INDArray x) {
    return Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
  }

  /**
   * e^(x - max) / sum(e^(x - max)) along an axis. libnd4j's fused {@code softmax} serves matrices; on
   * higher ranks it gave values that sum to 1 along no axis (ND4J 1.0.0-M2.1: [2, 3, 2, 2] along axis
   * 1), which the ONNX export's comparison with onnxruntime caught, so they take the plain form.
   */
  static INDArray softmax(INDArray x, int axis) {
    if (x.rank() <= 2) {
      INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
      Nd4j.exec(new SoftMax(x, out, axis));
      return out;
    }
    INDArray e = Transforms.exp(x.sub(x.max(true, axis)), false);
    return e.divi(e.sum(true, axis));
  }

  /**
   * (x - max) - log(sum(e^(x - max))). Not libnd4j's {@code log_softmax}, which takes the logarithm
   * of the softmax and so gives -infinity once a probability underflows (logits 1000 and -1000).
   */
  static INDArray logSoftmax(INDArray x, int axis) {
    INDArray shifted = x.sub(x.max(true, axis));
    INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, axis), false);
    return shifted.subi(logSum);
  }

  static INDArray matmul(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
    return Nd4j.matmul(a, b, transposeA, transposeB, false);
  }

  static INDArray sliceView(INDArray x, int axis, long start, long end) {
    INDArrayIndex[] index = new INDArrayIndex[x.rank()];
    for (int i = 0; i < index.length; i++) {
      index[i] = i == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
    }
    return x.get(index);
  }

  static INDArray slice(INDArray x, int axis, long start, long end) {
    return sliceView(x, axis, start, end).dup('c');
  }

  static INDArray gather(INDArray x, int axis, int[] indices) {
    long[] outShape = x.shape().clone();
    outShape[axis] = indices.length;
    INDArray out = Nd4j.createUninitialized(x.dataType(), outShape);
    Nd4j.exec(DynamicCustomOp.builder("gather")
        .addInputs(x, Nd4j.createFromArray(indices))
        .addOutputs(out)
        .addIntegerArguments(axis)
        .build());
    return out;
  }

  /** The adjoint of {@link #gather}: a zero array of {@code shape} with the rows of g added at the indices. */
  static INDArray scatterAdd(INDArray g, int axis, int[] indices, long[] shape) {
    int[] toFront = moveToFront(shape.length, axis);
    long[] frontShape = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      frontShape[i] = shape[toFront[i]];
    }
    INDArray target = Nd4j.zeros(g.dataType(), frontShape);
    INDArray updates = g.permute(toFront).dup('c');
    Nd4j.exec(DynamicCustomOp.builder("scatter_add")
        .addInputs(target, Nd4j.createFromArray(indices), updates)
        .addOutputs(target)
        .build());
    int[] back = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      back[toFront[i]] = i;
    }
    return target.permute(back).dup('c');
  }

  private static int[] moveToFront(int rank, int axis) {
    int[] dims = new int[rank];
    dims[0] = axis;
    for (int i = 0, k = 1; i < rank; i++) {
      if (i != axis) {
        dims[k++] = i;
      }
    }
    return dims;
  }

  /**
   * {@code x} materialized at a broadcast shape, or {@code x} itself if it already has it. Lower ranks
   * are first aligned to the right with leading ones, which ND4J's {@code broadcast} does not do.
   */
  static INDArray broadcastTo(INDArray x, long[] shape) {
    if (Arrays.equals(x.shape(), shape)) {
      return x;
    }
    INDArray aligned = x;
    if (x.rank() < shape.length) {
      long[] padded = new long[shape.length];
      Arrays.fill(padded, 1L);
      System.arraycopy(x.shape(), 0, padded, shape.length - x.rank(), x.rank());
      aligned = x.reshape(padded);
    }
    return aligned.broadcast(shape);
  }

  /** {@code a} where {@code condition} (a BOOL array) is true, {@code b} elsewhere; all three of one shape. */
  static INDArray select(INDArray condition, INDArray a, INDArray b) {
    INDArray out = Nd4j.createUninitialized(a.dataType(), a.shape());
    Nd4j.exec(DynamicCustomOp.builder("select").addInputs(condition, a, b).addOutputs(out).build());
    return out;
  }

  static INDArray compare(INDArray a, INDArray b, Comparison comparison, String op) {
    long[] shape = Shapes.broadcast(op, a.shape(), b.shape());
    INDArray x = broadcastTo(a, shape);
    INDArray y = broadcastTo(b.castTo(a.dataType()), shape);
    DataType type = a.dataType().isFPType() ? a.dataType() : DataType.FLOAT;
    return switch (comparison) {
      case GT -> x.gt(y).castTo(type);
      case LT -> x.lt(y).castTo(type);
      case GE -> x.lt(y).castTo(type).rsubi(1.0);
      case LE -> x.gt(y).castTo(type).rsubi(1.0);
      case EQ -> x.eq(y).castTo(type);
    };
  }
}
