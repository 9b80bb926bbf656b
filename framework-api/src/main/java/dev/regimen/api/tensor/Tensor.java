package dev.regimen.api.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An n-dimensional array that remembers how it was made, so that gradients can flow back through it.
 *
 * <p>A tensor wraps an ND4J {@link INDArray} (float32 by default; float64 for gradient checks). While
 * gradients are tracked (see {@link #noGrad()}) and at least one input requires a gradient, every op
 * records its inputs and a closure computing the gradient of each input from the gradient of its
 * output. {@link #backward()} sorts the recorded graph topologically and walks it in reverse,
 * accumulating gradients with {@code +=} so that a tensor used twice receives both contributions.
 * This is micrograd's design (Karpathy, 2020) on whole arrays: few rules, each easy to check.
 *
 * <p>Each op documents its gradient in one line, written with {@code g} for the gradient of the
 * output, {@code y} for the output and {@code unbroadcast} for summing a gradient back to the shape of
 * an input that was broadcast.
 *
 * <p><b>Memory.</b> The trainer runs each training step (and each evaluation or prediction batch)
 * inside a {@link StepMemory} scope: every tensor and array made during the step is released when it
 * ends, deterministically, not by the garbage collector. Parameters, buffers and optimizer state were
 * made before the step and survive it; a parameter's {@link #grad()} lives in a buffer of its own.
 * Anything else that must outlive the step (a probe, a cache, captured outputs) is copied out with
 * {@link StepMemory#keep(Tensor)} or created with {@link StepMemory#outside}. Using a released tensor
 * throws {@link ReleasedArrayException} naming the op that made it.
 *
 * <p>Tensors are not thread-safe; a training step runs on one thread.
 */
public final class Tensor {
  static {
    // The fastest libnd4j build for this CPU, for programs that embed Regimen without its launcher.
    NativeBuild.selectOrWarn();
  }

  /**
   * Computes the gradients of an op's inputs from the gradient of its output; {@code null} entries
   * mean "none". It must not change {@code gradOutput} in place: the same array may be the gradient
   * of other tensors too.
   */
  @FunctionalInterface
  public interface Backward {
    INDArray[] apply(INDArray gradOutput);
  }

  private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<DataType[]> DEFAULT_TYPE = ThreadLocal.withInitial(() -> new DataType[] {DataType.FLOAT});

  private final INDArray value;
  private final boolean requiresGrad;
  private final String op;
  private final Tensor[] inputs;
  private final Backward backward;
  private INDArray grad;
  private INDArray gradBuffer;

  private Tensor(INDArray value, boolean requiresGrad, String op, Tensor[] inputs, Backward backward) {
    this.value = Objects.requireNonNull(value, "value");
    this.requiresGrad = requiresGrad;
    this.op = op;
    this.inputs = inputs;
    this.backward = backward;
  }

  // ---------------------------------------------------------------- creation

  /** A constant (no gradient) over the given array, which is not copied. */
  public static Tensor of(INDArray value) {
    return new Tensor(value, false, "const", new Tensor[0], null);
  }

  /** A leaf that requires a gradient (a parameter, or an input whose gradient is wanted); not copied. */
  public static Tensor parameter(INDArray value) {
    if (!value.dataType().isFPType()) {
      throw new IllegalArgumentException("A parameter must be floating point; got " + value.dataType());
    }
    return new Tensor(value, true, "leaf", new Tensor[0], null);
  }

  /** A float32 constant from a flat array and a shape. */
  public static Tensor of(float[] values, long... shape) {
    return of(Nd4j.create(values, shape, 'c'));
  }

  /** A float64 constant from a flat array and a shape. */
  public static Tensor of(double[] values, long... shape) {
    return of(Nd4j.create(values, shape, 'c'));
  }

  /** A rank-0 constant of the given type. */
  public static Tensor scalar(double value, DataType type) {
    return of(Nd4j.scalar(type, value));
  }

  /** A float32 constant filled with zeros. */
  public static Tensor zeros(long... shape) {
    return of(Nd4j.zeros(DataType.FLOAT, shape));
  }

  /** A constant filled with zeros of the given type. */
  public static Tensor zeros(DataType type, long... shape) {
    return of(Nd4j.zeros(type, shape));
  }

  /** A constant filled with ones of the given type. */
  public static Tensor ones(DataType type, long... shape) {
    return of(Nd4j.ones(type, shape));
  }

  /**
   * Records a new differentiable op. Plugins use this to add ops (a fused batch-norm, say) with the
   * same guarantees as the built-in ones; if gradients are off or no input requires one, the result is
   * a constant and {@code backward} is never called.
   *
   * @param name the op's name, for messages and debugging
   * @param value the op's output
   * @param backward the gradients of {@code inputs}, in order, from the output's gradient
   */
  public static Tensor fromOp(String name, INDArray value, List<Tensor> inputs, Backward backward) {
    return record(name, value, backward, inputs.toArray(new Tensor[0]));
  }

  private static Tensor record(String name, INDArray value, Backward backward, Tensor... inputs) {
    if (!isGradEnabled()) {
      return new Tensor(value, false, name, new Tensor[0], null);
    }
    for (Tensor input : inputs) {
      if (input.requiresGrad) {
        return new Tensor(value, true, name, inputs, backward);
      }
    }
    return new Tensor(value, false, name, new Tensor[0], null);
  }

  // ------------------------------------------------------------- grad mode

  /** An open scope (no-grad, default type); closing it restores the previous setting. */
  public interface GradScope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Stops recording ops on this thread until the returned scope is closed: for evaluation and for
   * in-place parameter updates. Scopes nest.
   */
  public static GradScope noGrad() {
    int[] depth = NO_GRAD_DEPTH.get();
    depth[0]++;
    return new GradScope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          depth[0]--;
        }
      }
    };
  }

  /**
   * The floating-point type in which layers create parameters and data are loaded on this thread:
   * float32 unless a {@link #defaultType(DataType)} scope says otherwise.
   */
  public static DataType defaultType() {
    return DEFAULT_TYPE.get()[0];
  }

  /**
   * Sets the default floating-point type on this thread until the scope closes; gradient checks use
   * float64 this way.
   */
  public static GradScope defaultType(DataType type) {
    if (!type.isFPType()) {
      throw new IllegalArgumentException("The default type must be floating point; got " + type);
    }
    DataType[] holder = DEFAULT_TYPE.get();
    DataType previous = holder[0];
    holder[0] = type;
    return new GradScope() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          holder[0] = previous;
        }
      }
    };
  }

  /** Whether ops on this thread are being recorded. */
  public static boolean isGradEnabled() {
    return NO_GRAD_DEPTH.get()[0] == 0;
  }

  // ------------------------------------------------------------- accessors

  /**
   * The escape hatch: the ND4J array inside, not a copy. Changing it in place (as optimizers do, in a
   * no-grad scope) changes this tensor.
   */
  public INDArray array() {
    return live();
  }

  /** The value, after checking that the step scope that made it (if any) is still open. */
  private INDArray live() {
    if (value.isAttached() && StepMemory.isReleased(value)) {
      throw StepMemory.released(value, "A tensor " + Arrays.toString(value.shape()) + " made by op '" + op + "'");
    }
    return value;
  }

  /**
   * The gradient accumulated by {@link #backward()}, or {@code null} if none has reached this tensor.
   * For a tensor made outside every step scope (a parameter) it is a buffer that lives as long as the
   * tensor and that each backward pass after {@link #zeroGrad()} overwrites in place: copy it to keep
   * a step's gradient.
   */
  public INDArray grad() {
    return grad;
  }

  /** Forgets the accumulated gradient. */
  public void zeroGrad() {
    grad = null;
  }

  /** Whether this tensor takes part in gradient computation. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** The name of the op that made this tensor ({@code leaf} or {@code const} for tensors made directly). */
  public String op() {
    return op;
  }

  public long[] shape() {
    return value.shape();
  }

  public int rank() {
    return value.rank();
  }

  /** The size of one dimension; negative indices count from the end. */
  public long size(int dim) {
    return value.size(axis(dim));
  }

  public long length() {
    return value.length();
  }

  public DataType dataType() {
    return value.dataType();
  }

  /** The value of a single-element tensor. */
  public double item() {
    if (value.length() != 1) {
      throw new IllegalStateException("item() needs a single element; shape is " + Arrays.toString(shape()));
    }
    return live().getDouble(0);
  }

  /** A constant with the same values: the gradient stops here. */
  public Tensor detach() {
    return of(value);
  }

  /** A copy converted to another floating-point type; gradients flow back converted. */
  public Tensor cast(DataType type) {
    if (type == dataType()) {
      return this;
    }
    DataType own = dataType();
    return record("cast", value.castTo(type), g -> new INDArray[] {g.castTo(own)}, this);
  }

  @Override
  public String toString() {
    String head = "Tensor(" + op + ", " + dataType() + ", shape=" + Arrays.toString(shape()) + ")";
    return value.isAttached() && StepMemory.isReleased(value) ? head + " (released)" : head + "\n" + value;
  }

  // --------------------------------------------------------------- backward

  /** Back-propagates from this single-element tensor (the loss), seeding its gradient with one. */
  public void backward() {
    if (value.length() != 1) {
      throw new IllegalStateException(
          "backward() without a gradient needs a single-element tensor; shape is " + Arrays.toString(shape()));
    }
    backward(Nd4j.ones(value.dataType(), value.shape()));
  }

  /**
   * Back-propagates a given output gradient. Leaves (parameters) keep their accumulated gradients;
   * intermediate tensors drop theirs once passed on, as in PyTorch.
   */
  public void backward(INDArray gradOutput) {
    if (!requiresGrad) {
      throw new IllegalStateException("backward() on a tensor that does not require a gradient (op " + op + ")");
    }
    Shapes.requireSame("backward", shape(), gradOutput.shape());
    List<Tensor> order = topologicalOrder();
    accumulate(gradOutput);
    for (int i = order.size() - 1; i >= 0; i--) {
      Tensor node = order.get(i);
      if (node.backward == null || node.grad == null) {
        continue;
      }
      INDArray[] inputGrads = node.backward.apply(node.grad);
      for (int k = 0; k < node.inputs.length; k++) {
        Tensor input = node.inputs[k];
        if (input.requiresGrad && inputGrads[k] != null) {
          input.accumulate(inputGrads[k]);
        }
      }
      node.grad = null;
    }
  }

  private void accumulate(INDArray g) {
    if (!Arrays.equals(g.shape(), value.shape())) {
      throw new IllegalStateException("Gradient of shape " + Arrays.toString(g.shape()) + " for a tensor of shape "
          + Arrays.toString(value.shape()) + " from op " + op);
    }
    INDArray typed = g.dataType() == value.dataType() ? g : g.castTo(value.dataType());
    if (backward == null && !value.isAttached()) {
      // A leaf from outside every step scope (a parameter) accumulates in place into a buffer of its
      // own, made outside the scopes too, so that the gradient survives the step and no step
      // allocates it anew. The buffer is never handed to an op as its input's gradient, so in place is safe.
      if (grad != null) {
        grad.addi(typed);
        return;
      }
      if (gradBuffer == null || gradBuffer.dataType() != value.dataType()) {
        gradBuffer = StepMemory.outside(() -> Nd4j.createUninitialized(value.dataType(), value.shape()));
      }
      grad = gradBuffer.assign(typed);
    } else if (grad != null) {
      grad = grad.add(typed);
    } else if (backward == null && typed == g) {
      // A leaf keeps its gradient, and optimizers and clipping change it in place; but g may be shared
      // (add hands the same array to both inputs; backward(g) is the caller's), so a leaf gets a copy.
      grad = g.dup();
    } else {
      grad = typed;
    }
  }

  /** Depth-first post-order without recursion, so that deep graphs cannot overflow the stack. */
  private List<Tensor> topologicalOrder() {
    List<Tensor> order = new ArrayList<>();
    Map<Tensor, Boolean> visited = new IdentityHashMap<>();
    Deque<Tensor> stack = new ArrayDeque<>();
    Deque<Integer> next = new ArrayDeque<>();
    stack.push(this);
    next.push(0);
    visited.put(this, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Tensor node = stack.peek();
      int i = next.pop();
      if (i < node.inputs.length) {
        next.push(i + 1);
        Tensor child = node.inputs[i];
        if (child.requiresGrad && visited.put(child, Boolean.TRUE) == null) {
          stack.push(child);
          next.push(0);
        }
      } else {
        stack.pop();
        order.add(node);
      }
    }
    return order;
  }

  // ------------------------------------------------------------ arithmetic

  /** Broadcasting sum. Gradient: unbroadcast(g) to each input. */
  public Tensor add(Tensor other) {
    long[] out = Shapes.broadcast("add", shape(), other.shape());
    long[] a = shape();
    long[] b = other.shape();
    return record("add", value.add(other.value), g -> new INDArray[] {
        Shapes.unbroadcast(g, a), Shapes.unbroadcast(g, b)}, this, other).checkShape(out);
  }

  /** Broadcasting difference. Gradient: unbroadcast(g), unbroadcast(-g). */
  public Tensor sub(Tensor other) {
    long[] out = Shapes.broadcast("sub", shape(), other.shape());
    long[] a = shape();
    long[] b = other.shape();
    return record("sub", value.sub(other.value), g -> new INDArray[] {
        Shapes.unbroadcast(g, a), Shapes.unbroadcast(g.neg(), b)}, this, other).checkShape(out);
  }

  /** Broadcasting product. Gradient: unbroadcast(g * b), unbroadcast(g * a). */
  public Tensor mul(Tensor other) {
    long[] out = Shapes.broadcast("mul", shape(), other.shape());
    INDArray a = value;
    INDArray b = other.value;
    return record("mul", a.mul(b), g -> new INDArray[] {
        requiresGrad ? Shapes.unbroadcast(g.mul(b), a.shape()) : null,
        other.requiresGrad ? Shapes.unbroadcast(g.mul(a), b.shape()) : null}, this, other).checkShape(out);
  }

  /** Broadcasting quotient. Gradient: unbroadcast(g / b), unbroadcast(-g * a / b^2). */
  public Tensor div(Tensor other) {
    long[] out = Shapes.broadcast("div", shape(), other.shape());
    INDArray a = value;
    INDArray b = other.value;
    return record("div", a.div(b), g -> new INDArray[] {
        requiresGrad ? Shapes.unbroadcast(g.div(b), a.shape()) : null,
        other.requiresGrad ? Shapes.unbroadcast(g.mul(a).divi(b).divi(b).negi(), b.shape()) : null},
        this, other).checkShape(out);
  }

  /** Adds a scalar. Gradient: g. */
  public Tensor add(double c) {
    return record("add_scalar", Ops.addScalar(value, c), g -> new INDArray[] {g}, this);
  }

  /** Subtracts a scalar. Gradient: g. */
  public Tensor sub(double c) {
    return add(-c);
  }

  /** Multiplies by a scalar. Gradient: g * c. */
  public Tensor mul(double c) {
    return record("mul_scalar", Ops.mulScalar(value, c), g -> new INDArray[] {Ops.mulScalar(g, c)}, this);
  }

  /** Divides by a scalar (a true division, not a product with 1 / c). Gradient: g / c. */
  public Tensor div(double c) {
    return record("div_scalar", Ops.divScalar(value, c), g -> new INDArray[] {Ops.divScalar(g, c)}, this);
  }

  /** Negation. Gradient: -g. */
  public Tensor neg() {
    return record("neg", value.neg(), g -> new INDArray[] {g.neg()}, this);
  }

  /** x^p for a constant p. Gradient: g * p * x^(p-1). */
  public Tensor pow(double p) {
    INDArray x = value;
    return record("pow", Ops.pow(x, p), g -> new INDArray[] {g.mul(Ops.pow(x, p - 1)).muli(p)}, this);
  }

  /** e^x. Gradient: g * y. */
  public Tensor exp() {
    INDArray y = Ops.exp(value);
    return record("exp", y, g -> new INDArray[] {g.mul(y)}, this);
  }

  /** Natural logarithm. Gradient: g / x. */
  public Tensor log() {
    INDArray x = value;
    return record("log", Ops.log(x), g -> new INDArray[] {g.div(x)}, this);
  }

  /** Square root. Gradient: g / (2 y). */
  public Tensor sqrt() {
    INDArray y = Ops.sqrt(value);
    return record("sqrt", y, g -> new INDArray[] {g.div(y).muli(0.5)}, this);
  }

  /** Absolute value. Gradient: g * sign(x) (zero at zero). */
  public Tensor abs() {
    INDArray x = value;
    return record("abs", Ops.abs(x), g -> new INDArray[] {g.mul(Ops.sign(x))}, this);
  }

  /** Limits values to [min, max]. Gradient: g where min &lt; x &lt; max, else 0. */
  public Tensor clamp(double min, double max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException("clamp: min must not exceed max; got min=" + min + ", max=" + max);
    }
    INDArray x = value;
    return record("clamp", Ops.clamp(x, min, max), g -> new INDArray[] {
        g.mul(Ops.insideOpen(x, min, max))}, this);
  }

  // ---------------------------------------------------------------- matmul

  /**
   * Matrix product of rank-2 tensors, or batched over a leading dimension for rank 3.
   * Gradient: g @ b^T for a, a^T @ g for b.
   */
  public Tensor matmul(Tensor other) {
    Shapes.requireMatmul(shape(), other.shape());
    INDArray a = value;
    INDArray b = other.value;
    return record("matmul", Ops.matmul(a, b, false, false), g -> new INDArray[] {
        requiresGrad ? Ops.matmul(g, b, false, true) : null,
        other.requiresGrad ? Ops.matmul(a, g, true, false) : null}, this, other);
  }

  /**
   * The affine map x W + b of a dense layer: x [N, in], W [in, out], b [out] or {@code null}, as one
   * op whose bias is added in place to the product (no broadcast copy).
   * Gradient: g @ W^T for x, x^T @ g for W, g summed over the batch for b.
   */
  public Tensor linear(Tensor weight, Tensor bias) {
    requireLinear("linear", weight, bias);
    INDArray x = value;
    INDArray w = weight.value;
    INDArray y = Ops.matmul(x, w, false, false);
    if (bias != null) {
      y.addiRowVector(bias.value);
    }
    Backward backward = g -> new INDArray[] {
        requiresGrad ? Ops.matmul(g, w, false, true) : null,
        weight.requiresGrad ? Ops.matmul(x, g, true, false) : null,
        bias != null && bias.requiresGrad ? g.sum(0) : null};
    return bias == null ? record("linear", y, backward, this, weight) : record("linear", y, backward, this, weight, bias);
  }

  /**
   * max(0, x W + b), a dense layer with a ReLU, as one op: forward is libnd4j's {@code relu_layer} (the
   * product, the bias and the ReLU in one native call; without a bias, the ReLU runs in place over the
   * product), and only the output is kept for the backward pass, which masks the incoming gradient with
   * {@code relu_bp} on the output (y &gt; 0 exactly where x W + b &gt; 0) and sums it for the bias.
   * Equal to {@code linear(weight, bias).relu()}, one intermediate array and two native calls fewer.
   * Gradient: m = g where y &gt; 0 else 0; m @ W^T for x, x^T @ m for W, m summed over the batch for b.
   */
  public Tensor linearRelu(Tensor weight, Tensor bias) {
    requireLinear("linear_relu", weight, bias);
    INDArray x = value;
    INDArray w = weight.value;
    INDArray y = Ops.linearRelu(x, w, bias == null ? null : bias.value);
    Backward backward = g -> {
      INDArray m = Ops.reluBackward(y, g);
      return new INDArray[] {
          requiresGrad ? Ops.matmul(m, w, false, true) : null,
          weight.requiresGrad ? Ops.matmul(x, m, true, false) : null,
          bias != null && bias.requiresGrad ? m.sum(0) : null};
    };
    return bias == null ? record("linear_relu", y, backward, this, weight)
        : record("linear_relu", y, backward, this, weight, bias);
  }

  private void requireLinear(String op, Tensor weight, Tensor bias) {
    if (rank() != 2 || weight.rank() != 2) {
      throw new ShapeException(op + " needs x [N, in] and W [in, out]; got " + Arrays.toString(shape()) + " and "
          + Arrays.toString(weight.shape()));
    }
    Shapes.requireMatmul(shape(), weight.shape());
    long out = weight.size(1);
    if (bias != null && (bias.rank() != 1 || bias.size(0) != out)) {
      throw new ShapeException(op + ": bias " + Arrays.toString(bias.shape()) + " must be [" + out + "] for W "
          + Arrays.toString(weight.shape()));
    }
  }

  // ------------------------------------------------------------ reductions

  /** Sum over the given axes (all axes if none). Gradient: g broadcast back over the reduced axes. */
  public Tensor sum(boolean keepDims, int... axes) {
    int[] ax = axes("sum", axes);
    long[] inShape = shape();
    long[] keptShape = Shapes.reducedShape(inShape, ax, true);
    INDArray y = value.sum(true, ax);
    INDArray out = keepDims ? y : y.reshape(Shapes.reducedShape(inShape, ax, false));
    return record("sum", out, g -> new INDArray[] {g.reshape(keptShape).broadcast(inShape)}, this);
  }

  /** Sum of all elements, a rank-0 tensor. Gradient: g broadcast to every element. */
  public Tensor sum() {
    return sum(false);
  }

  /** Mean over the given axes (all if none). Gradient: g / n broadcast back, n = number of reduced elements. */
  public Tensor mean(boolean keepDims, int... axes) {
    int[] ax = axes("mean", axes);
    long n = 1;
    for (int a : ax) {
      n *= value.size(a);
    }
    return sum(keepDims, ax).div(n);
  }

  /** Mean of all elements, a rank-0 tensor. Gradient: g / n to every element. */
  public Tensor mean() {
    return mean(false);
  }

  /** Maximum over the given axes (all if none). Gradient: g shared equally among the elements equal to the maximum. */
  public Tensor max(boolean keepDims, int... axes) {
    int[] ax = axes("max", axes);
    long[] inShape = shape();
    long[] keptShape = Shapes.reducedShape(inShape, ax, true);
    INDArray x = value;
    INDArray yKept = x.max(true, ax);
    INDArray out = keepDims ? yKept : yKept.reshape(Shapes.reducedShape(inShape, ax, false));
    return record("max", out, g -> {
      INDArray mask = x.eq(yKept.broadcast(inShape)).castTo(x.dataType());
      INDArray count = mask.sum(true, ax);
      return new INDArray[] {mask.muli(g.reshape(keptShape).div(count).broadcast(inShape))};
    }, this);
  }

  /**
   * Variance over the given axes: the population (biased) variance mean((x - mean(x))^2), or with
   * {@code unbiased} the sample variance dividing by n - 1. Derived from primitives, so its gradient
   * is theirs: 2 (x - mean) g / n (or / (n - 1) when unbiased).
   */
  public Tensor var(boolean keepDims, boolean unbiased, int... axes) {
    int[] ax = axes("var", axes);
    long n = 1;
    for (int a : ax) {
      n *= value.size(a);
    }
    if (unbiased && n < 2) {
      throw new IllegalArgumentException("var: the unbiased variance needs at least 2 elements; got " + n);
    }
    Tensor centered = sub(mean(true, ax));
    return centered.mul(centered).sum(keepDims, ax).div(unbiased ? n - 1 : n);
  }

  /** Population variance over the given axes. Gradient: 2 (x - mean) g / n. */
  public Tensor var(boolean keepDims, int... axes) {
    return var(keepDims, false, axes);
  }

  // ---------------------------------------------------------------- shapes

  /**
   * Same elements, new shape (one dimension may be -1): a view of this tensor's memory when that is
   * contiguous (as PyTorch's {@code view}), a copy otherwise. Gradient: g reshaped back.
   */
  public Tensor reshape(long... newShape) {
    long[] resolved = Shapes.resolveReshape(shape(), newShape);
    long[] inShape = shape();
    return record("reshape", Ops.contiguous(value).reshape('c', resolved),
        g -> new INDArray[] {Ops.contiguous(g).reshape('c', inShape)}, this);
  }

  /** Reorders dimensions. Gradient: g permuted by the inverse permutation. */
  public Tensor permute(int... dims) {
    Shapes.requirePermutation(shape(), dims);
    int[] inverse = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      inverse[dims[i]] = i;
    }
    return record("permute", value.permute(dims).dup('c'), g -> new INDArray[] {g.permute(inverse).dup('c')}, this);
  }

  /** Swaps the last two dimensions (the matrix transpose for rank 2). Gradient: g transposed back. */
  public Tensor transpose() {
    if (rank() < 2) {
      throw new ShapeException("transpose needs rank 2 or more; got shape " + Arrays.toString(shape()));
    }
    int[] dims = new int[rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = i;
    }
    dims[dims.length - 2] = dims.length - 1;
    dims[dims.length - 1] = dims.length - 2;
    return permute(dims);
  }

  /** Joins tensors along an axis. Gradient: g sliced back into the pieces. */
  public static Tensor concat(int axis, List<Tensor> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("concat needs at least one tensor");
    }
    int ax = parts.get(0).axis("concat", axis);
    long[][] shapes = new long[parts.size()][];
    INDArray[] arrays = new INDArray[parts.size()];
    for (int i = 0; i < arrays.length; i++) {
      shapes[i] = parts.get(i).shape();
      arrays[i] = parts.get(i).value;
    }
    Shapes.requireConcat(ax, shapes);
    INDArray y = Nd4j.concat(ax, arrays);
    return fromOp("concat", y, parts, g -> {
      INDArray[] grads = new INDArray[shapes.length];
      long start = 0;
      for (int i = 0; i < shapes.length; i++) {
        grads[i] = Ops.slice(g, ax, start, start + shapes[i][ax]);
        start += shapes[i][ax];
      }
      return grads;
    });
  }

  /** The elements with index in [start, end) along an axis. Gradient: g placed back into zeros. */
  public Tensor slice(int axis, long start, long end) {
    int ax = axis("slice", axis);
    long n = value.size(ax);
    if (start < 0 || end > n || start >= end) {
      throw new ShapeException("slice: range [" + start + ", " + end + ") is not inside axis " + ax
          + " of shape " + Arrays.toString(shape()));
    }
    long[] inShape = shape();
    DataType type = dataType();
    return record("slice", Ops.slice(value, ax, start, end), g -> {
      INDArray full = Nd4j.zeros(type, inShape);
      Ops.sliceView(full, ax, start, end).assign(g);
      return new INDArray[] {full};
    }, this);
  }

  /**
   * Picks entries by index along an axis (indices may repeat). Gradient: g scattered back, adding
   * where an index repeats.
   */
  public Tensor gather(int axis, int... indices) {
    int ax = axis("gather", axis);
    long n = value.size(ax);
    for (int index : indices) {
      if (index < 0 || index >= n) {
        throw new ShapeException("gather: index " + index + " is outside axis " + ax + " of shape "
            + Arrays.toString(shape()));
      }
    }
    long[] inShape = shape();
    return record("gather", Ops.gather(value, ax, indices), g -> new INDArray[] {
        Ops.scatterAdd(g, ax, indices, inShape)}, this);
  }

  // ----------------------------------------------------------- activations

  /** max(0, x). Gradient: g where x &gt; 0. */
  public Tensor relu() {
    INDArray x = value;
    return record("relu", Ops.relu(x), g -> new INDArray[] {Ops.reluBackward(x, g)}, this);
  }

  /** x for x &gt; 0, alpha x otherwise. Gradient: g, or alpha g where x &lt;= 0. */
  public Tensor leakyRelu(double alpha) {
    INDArray x = value;
    return record("leaky_relu", Ops.leakyRelu(x, alpha), g -> new INDArray[] {
        g.mul(Ops.leakyReluSlope(x, alpha))}, this);
  }

  /** x for x &gt; 0, alpha (e^x - 1) otherwise. Gradient: g, or g (y + alpha) where x &lt;= 0. */
  public Tensor elu(double alpha) {
    INDArray x = value;
    INDArray y = Ops.elu(x, alpha);
    return record("elu", y, g -> new INDArray[] {g.mul(Ops.eluSlope(x, y, alpha))}, this);
  }

  /**
   * The Gaussian error linear unit of Hendrycks and Gimpel 2016, exact form x Phi(x) with Phi the
   * standard normal CDF. Gradient: g (Phi(x) + x phi(x)), phi the standard normal density.
   */
  public Tensor gelu() {
    INDArray x = value;
    INDArray cdf = Ops.normalCdf(x);
    return record("gelu", x.mul(cdf), g -> new INDArray[] {g.mul(cdf.add(x.mul(Ops.normalPdf(x))))}, this);
  }

  /** 1 / (1 + e^-x). Gradient: g y (1 - y). */
  public Tensor sigmoid() {
    INDArray y = Ops.sigmoid(value);
    return record("sigmoid", y, g -> new INDArray[] {g.mul(y).muli(y.rsub(1.0))}, this);
  }

  /** Hyperbolic tangent. Gradient: g (1 - y^2). */
  public Tensor tanh() {
    INDArray y = Ops.tanh(value);
    return record("tanh", y, g -> new INDArray[] {g.mul(y.mul(y).rsubi(1.0))}, this);
  }

  /**
   * e^x / sum(e^x) along an axis, computed after subtracting the maximum.
   * Gradient: y (g - sum(g y, axis)).
   */
  public Tensor softmax(int axis) {
    int ax = axis("softmax", axis);
    long[] inShape = shape();
    INDArray y = Ops.softmax(value, ax);
    return record("softmax", y, g -> new INDArray[] {
        y.mul(g.sub(g.mul(y).sum(true, ax).broadcast(inShape)))}, this);
  }

  /**
   * x - log(sum(e^x)) along an axis, stable through the log-sum-exp trick.
   * Gradient: g - softmax(x) sum(g, axis).
   */
  public Tensor logSoftmax(int axis) {
    int ax = axis("log_softmax", axis);
    long[] inShape = shape();
    INDArray y = Ops.logSoftmax(value, ax);
    return record("log_softmax", y, g -> new INDArray[] {
        g.sub(Ops.exp(y).muli(g.sum(true, ax).broadcast(inShape)))}, this);
  }

  // --------------------------------------------------------- masks, where

  /** 1 where this &gt; other (broadcasting), else 0; a constant. */
  public Tensor gt(Tensor other) {
    return of(Ops.compare(value, other.value, Ops.Comparison.GT, "gt"));
  }

  /** 1 where this &lt; other (broadcasting), else 0; a constant. */
  public Tensor lt(Tensor other) {
    return of(Ops.compare(value, other.value, Ops.Comparison.LT, "lt"));
  }

  /** 1 where this &gt;= other (broadcasting), else 0; a constant. */
  public Tensor ge(Tensor other) {
    return of(Ops.compare(value, other.value, Ops.Comparison.GE, "ge"));
  }

  /** 1 where this &lt;= other (broadcasting), else 0; a constant. */
  public Tensor le(Tensor other) {
    return of(Ops.compare(value, other.value, Ops.Comparison.LE, "le"));
  }

  /** 1 where this equals other (broadcasting), else 0; a constant. */
  public Tensor eq(Tensor other) {
    return of(Ops.compare(value, other.value, Ops.Comparison.EQ, "eq"));
  }

  /** 1 where this &gt; c, else 0; a constant. */
  public Tensor gt(double c) {
    return gt(scalar(c, dataType()));
  }

  /** 1 where this &lt; c, else 0; a constant. */
  public Tensor lt(double c) {
    return lt(scalar(c, dataType()));
  }

  /**
   * Element-wise choice: {@code a} where the mask is non-zero, {@code b} elsewhere, all broadcasting
   * (b is converted to a's type). Gradient: unbroadcast(g where mask, else 0) to a,
   * unbroadcast(g where not mask, else 0) to b; none to the mask.
   */
  public static Tensor where(Tensor mask, Tensor a, Tensor b) {
    long[] ab = Shapes.broadcast("where", a.shape(), b.shape());
    long[] out = Shapes.broadcast("where", mask.shape(), ab);
    DataType type = a.dataType();
    INDArray condition = Ops.broadcastTo(mask.value.neq(0.0), out);
    INDArray bValue = b.dataType() == type ? b.value : b.value.castTo(type);
    INDArray y = Ops.select(condition, Ops.broadcastTo(a.value, out), Ops.broadcastTo(bValue, out));
    long[] aShape = a.shape();
    long[] bShape = b.shape();
    return record("where", y, g -> {
      INDArray zeros = Nd4j.zeros(g.dataType(), out);
      return new INDArray[] {null,
          a.requiresGrad ? Shapes.unbroadcast(Ops.select(condition, g, zeros), aShape) : null,
          b.requiresGrad ? Shapes.unbroadcast(Ops.select(condition, zeros, g), bShape) : null};
    }, mask, a, b);
  }

  // ------------------------------------------------- convolution, pooling

  /**
   * 2-D convolution (cross-correlation) of NCHW input with weights [outC, inC, kH, kW] (PyTorch's
   * layout) and an optional bias [outC], through libnd4j's fused {@code conv2d} and {@code conv2d_bp}.
   * Gradients: libnd4j's {@code conv2d_bp} (the transposed convolution of g for the input, the
   * correlation of input and g for the weights, g summed over N, H, W for the bias).
   */
  public Tensor conv2d(Tensor weight, Tensor bias, Conv2dSpec spec) {
    return ConvOps.conv2d(this, weight, bias, spec);
  }

  /** Max pooling over NCHW input. Gradient: g routed to each window's maximum (libnd4j {@code maxpool2d_bp}). */
  public Tensor maxPool2d(Pool2dSpec spec) {
    return ConvOps.pool2d(this, spec, true);
  }

  /** Average pooling over NCHW input. Gradient: g spread evenly over each window (libnd4j {@code avgpool2d_bp}). */
  public Tensor avgPool2d(Pool2dSpec spec) {
    return ConvOps.pool2d(this, spec, false);
  }

  // ---------------------------------------------------------------- helpers

  /** Resolves a possibly negative axis against this tensor's rank. */
  public int axis(int axis) {
    return axis(null, axis);
  }

  /** {@link #axis(int)} for an op, which the message names (if not null). */
  private int axis(String op, int axis) {
    int r = rank();
    int a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= Math.max(r, 1)) {
      throw new ShapeException((op == null ? "" : op + ": ") + "axis " + axis + " is out of range for shape "
          + Arrays.toString(shape()));
    }
    return a;
  }

  private int[] axes(String op, int[] axes) {
    if (axes.length == 0) {
      int[] all = new int[rank()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] resolved = new int[axes.length];
    boolean[] seen = new boolean[rank()];
    for (int i = 0; i < axes.length; i++) {
      resolved[i] = axis(op, axes[i]);
      if (seen[resolved[i]]) {
        throw new ShapeException(op + ": axis " + axes[i] + " is given twice in " + Arrays.toString(axes)
            + " for shape " + Arrays.toString(shape()));
      }
      seen[resolved[i]] = true;
    }
    return resolved;
  }

  private Tensor checkShape(long[] expected) {
    if (!Arrays.equals(expected, shape())) {
      throw new IllegalStateException("op " + op + " produced shape " + Arrays.toString(shape())
          + " where " + Arrays.toString(expected) + " was expected");
    }
    return this;
  }
}
