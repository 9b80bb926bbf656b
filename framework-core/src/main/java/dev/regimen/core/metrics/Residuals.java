package dev.regimen.core.metrics;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape checks and float64 residuals shared by the regression metrics. */
final class Residuals {
  private Residuals() {}

  /**
   * Predictions and targets as float64 matrices [N, D] (a vector [N] is one column); targets [N] also
   * fit predictions [N, 1]. Anything else is a {@link ShapeException} naming both shapes.
   */
  static INDArray[] aligned(String op, Tensor output, Tensor target) {
    long[] p = output.shape();
    long[] t = target.shape();
    boolean same = Arrays.equals(p, t);
    boolean column = p.length <= 2 && t.length <= 2 && p.length > 0 && t.length > 0 && p[0] == t[0]
        && output.length() == p[0] && target.length() == t[0];
    if (!same && !column) {
      throw new ShapeException(op + ": predictions of shape " + Arrays.toString(p) + " and targets of shape "
          + Arrays.toString(t) + " do not match");
    }
    return new INDArray[] {asMatrix(output.array()), asMatrix(target.array())};
  }

  /** p - t in float64, a fresh array the caller may change. */
  static INDArray of(String op, Tensor output, Tensor target) {
    INDArray[] pt = aligned(op, output, target);
    return pt[0].sub(pt[1]);
  }

  private static INDArray asMatrix(INDArray a) {
    INDArray typed = a.castTo(DataType.DOUBLE);
    if (a.rank() == 2) {
      return typed;
    }
    long n = a.rank() == 0 ? 1 : a.size(0);
    return typed.reshape(n, a.length() / Math.max(n, 1));
  }
}
