package dev.regimen.api.loss;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared loss functions, for the framework's built-in objectives and for plugins alike (a
 * composite objective such as knowledge distillation adds a cross-entropy term): each takes the
 * model's output and the targets and returns a rank-0 tensor averaged over every element (PyTorch's
 * {@code reduction='mean'}). Each is a short composition of differentiable {@link Tensor} ops, so its
 * gradient is theirs and is checked by finite differences like every op. They live in the API, not in
 * the core, so that a plugin can use them while depending on framework-api alone; the core's
 * objectives ({@code mse}, {@code huber}, ...) call them.
 *
 * <p>Targets are converted to the output's floating-point type. For the element-wise losses the
 * shapes must match, except that targets [N] are taken as a column for outputs [N, 1] (and the
 * reverse), the common shape of one regression output.
 */
public final class Losses {
  private Losses() {}

  /** Mean squared error, mean((p - t)^2). */
  public static Tensor mse(Tensor predictions, Tensor targets) {
    Tensor residual = predictions.sub(alignTargets("mse", predictions, targets));
    return residual.mul(residual).mean();
  }

  /** Mean absolute error, mean(|p - t|); the gradient at a zero residual is taken as zero. */
  public static Tensor mae(Tensor predictions, Tensor targets) {
    return predictions.sub(alignTargets("mae", predictions, targets)).abs().mean();
  }

  /**
   * The Huber loss (Huber 1964) with threshold {@code delta}: for r = p - t, 0.5 r^2 where |r| &lt;=
   * delta and delta (|r| - 0.5 delta) elsewhere, averaged. Quadratic near zero, linear beyond, with a
   * continuous gradient; PyTorch's {@code HuberLoss}.
   */
  public static Tensor huber(Tensor predictions, Tensor targets, double delta) {
    requireHuberDelta(delta);
    Tensor residual = predictions.sub(alignTargets("huber", predictions, targets));
    Tensor size = residual.abs();
    Tensor quadratic = residual.mul(residual).mul(0.5);
    Tensor linear = size.sub(0.5 * delta).mul(delta);
    return Tensor.where(size.gt(delta), linear, quadratic).mean();
  }

  /**
   * Softmax cross-entropy from logits [N, K]: -(1/N) sum_i sum_k q_ik log softmax(z_i)_k, where the
   * target rows q are either one-hot rows of integer labels [N] or given distributions [N, K] (label
   * smoothing, distillation). The log-probabilities come from a log-softmax (log-sum-exp after
   * subtracting each row's maximum), so no raw logit is ever exponentiated and logits of +-1000 give
   * a finite loss and gradient (Goodfellow, Bengio and Courville 2016, section 6.2.2.3).
   *
   * <p>Targets it cannot apply to are refused rather than trained on: logits of one column (softmax
   * of one class is 1, so the loss would be 0 whatever the targets), labels that are not whole
   * numbers in [0, K), and target rows that are not distributions (a negative entry, or a sum away
   * from 1 by more than {@value #DISTRIBUTION_TOLERANCE}).
   *
   * @throws ShapeException if the targets fit neither form, naming both shapes, or the logits have
   *     fewer than 2 columns
   * @throws IllegalArgumentException naming the first label outside [0, K) or the first row that is
   *     not a distribution
   */
  public static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
    String op = "softmax_cross_entropy";
    boolean labels = ClassTargets.areLabels(op, logits.shape(), targets.shape());
    if (logits.size(1) < 2) {
      throw new ShapeException(op + ": the model's output has 1 column (scores of shape "
          + Arrays.toString(logits.shape()) + "): softmax over one class is always 1, so the loss would be 0"
          + " whatever the targets. A classifier needs one output column per class (2 or more); for one"
          + " real-valued target use mse, for one 0/1 target binary_cross_entropy");
    }
    long n = logits.size(0);
    Tensor weights;
    if (labels) {
      weights = Tensor.of(ClassTargets.oneHot(op, targets.array(), logits.size(1), logits.dataType()));
    } else {
      requireDistributions(op, targets.array());
      weights = targets.cast(logits.dataType());
    }
    return logits.logSoftmax(1).mul(weights).sum().mul(-1.0 / n);
  }

  /**
   * How far a target row of {@link #softmaxCrossEntropy} may sum from 1: loose enough for float32
   * (and 16-bit) rounding of smoothed or mixed labels and of a teacher's probabilities, tight enough
   * to catch counts, multi-hot rows and real-valued targets.
   */
  public static final double DISTRIBUTION_TOLERANCE = 1e-2;

  /**
   * Binary cross-entropy from logits x and targets y in [0, 1]: the mean of softplus(x) - x y, which
   * equals -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]. Softplus is evaluated in the stable
   * form max(x, 0) + log(1 + e^-|x|) (as PyTorch's {@code BCEWithLogitsLoss}), with max(x, 0) written
   * as (x + |x|) / 2: the two forms are equal, but this one also gives the exact gradient
   * sigmoid(0) = 1/2 at x = 0, where relu and |x| each have a zero derivative.
   *
   * @throws IllegalArgumentException naming the first target outside [0, 1]
   */
  public static Tensor binaryCrossEntropy(Tensor logits, Tensor targets) {
    String op = "binary_cross_entropy";
    Tensor y = alignTargets(op, logits, targets);
    requireProbabilities(op, y.array());
    Tensor size = logits.abs();
    Tensor softplus = logits.add(size).mul(0.5).add(size.neg().exp().add(1.0).log());
    return softplus.sub(logits.mul(y)).mean();
  }

  /**
   * Checks the Huber threshold: {@code delta} itself if it is positive and finite.
   *
   * @throws IllegalArgumentException otherwise, echoing the value
   */
  public static double requireHuberDelta(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("huber: delta must be positive and finite. Received: delta=" + delta);
    }
    return delta;
  }

  /** The targets in the predictions' type and shape, or a {@link ShapeException} naming both shapes. */
  static Tensor alignTargets(String op, Tensor predictions, Tensor targets) {
    long[] p = predictions.shape();
    long[] t = targets.shape();
    Tensor aligned = targets;
    if (!Arrays.equals(p, t)) {
      if (p.length == 2 && p[1] == 1 && t.length == 1 && t[0] == p[0]) {
        aligned = targets.reshape(p);
      } else if (t.length == 2 && t[1] == 1 && p.length == 1 && p[0] == t[0]) {
        aligned = targets.reshape(p);
      } else {
        boolean labels = p.length == 2 && p[1] > 1 && t.length >= 1 && t[0] == p[0]
            && (t.length == 1 || (t.length == 2 && t[1] == 1));
        throw new ShapeException(op + ": predictions of shape " + Arrays.toString(p) + " and targets of shape "
            + Arrays.toString(t) + " do not match"
            + (labels ? "; one target per sample against " + p[1] + " outputs looks like class labels, whose loss is"
                + " softmax_cross_entropy" : ""));
      }
    }
    return aligned.cast(predictions.dataType());
  }

  /**
   * Checks that every row of {@code q} [N, K] is a distribution: no negative entry, a sum within
   * {@link #DISTRIBUTION_TOLERANCE} of 1. Three reductions when it is; the row is searched for only
   * when it is not.
   */
  private static void requireDistributions(String op, INDArray q) {
    INDArray rows = q.dataType() == DataType.HALF || q.dataType() == DataType.BFLOAT16 ? q.castTo(DataType.FLOAT) : q;
    INDArray sums = rows.sum(1);
    boolean nonNegative = rows.minNumber().doubleValue() >= 0;
    if (nonNegative && sums.sub(1.0).amaxNumber().doubleValue() <= DISTRIBUTION_TOLERANCE) {
      return;
    }
    for (long i = 0; i < rows.size(0); i++) {
      double sum = sums.getDouble(i);
      double min = rows.getRow(i).minNumber().doubleValue();
      if (!(min >= 0) || !(Math.abs(sum - 1) <= DISTRIBUTION_TOLERANCE)) {
        String why = Double.isNaN(sum) ? ", which holds NaN" : min < 0 ? ", with the negative entry "
            + ClassTargets.format(min) : ", summing to " + ClassTargets.format(sum);
        throw new IllegalArgumentException(op + ": target rows [" + rows.size(0) + ", " + rows.size(1)
            + "] must be distributions over the " + rows.size(1) + " classes (non-negative, summing to 1), or"
            + " the targets class labels [" + rows.size(0) + "]; row " + i + " is " + describeRow(rows.getRow(i))
            + why);
      }
    }
  }

  private static String describeRow(INDArray row) {
    long k = row.length();
    StringBuilder out = new StringBuilder("[");
    for (long j = 0; j < Math.min(k, 6); j++) {
      out.append(j == 0 ? "" : ", ").append(ClassTargets.format(row.getDouble(j)));
    }
    return out.append(k > 6 ? ", ...]" : "]").toString();
  }

  private static void requireProbabilities(String op, INDArray y) {
    double min = y.minNumber().doubleValue();
    double max = y.maxNumber().doubleValue();
    if (min >= 0 && max <= 1) {
      return;
    }
    INDArray flat = y.reshape(y.length());
    for (long i = 0; i < flat.length(); i++) {
      double v = flat.getDouble(i);
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(op + ": targets must be probabilities in [0, 1]; got " + v
            + " at element " + i);
      }
    }
    throw new IllegalArgumentException(op + ": targets must be probabilities in [0, 1]; got min " + min + ", max "
        + max);
  }
}
