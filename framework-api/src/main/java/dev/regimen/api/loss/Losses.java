package dev.regimen.api.loss;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
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
   * @throws ShapeException if the targets fit neither form, naming both shapes
   * @throws IllegalArgumentException naming the first label outside [0, K)
   */
  public static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
    String op = "softmax_cross_entropy";
    boolean labels = ClassTargets.areLabels(op, logits.shape(), targets.shape());
    long n = logits.size(0);
    Tensor weights = labels
        ? Tensor.of(ClassTargets.oneHot(op, targets.array(), logits.size(1), logits.dataType()))
        : targets.cast(logits.dataType());
    return logits.logSoftmax(1).mul(weights).sum().mul(-1.0 / n);
  }

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
        throw new ShapeException(op + ": predictions of shape " + Arrays.toString(p) + " and targets of shape "
            + Arrays.toString(t) + " do not match");
      }
    }
    return aligned.cast(predictions.dataType());
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
