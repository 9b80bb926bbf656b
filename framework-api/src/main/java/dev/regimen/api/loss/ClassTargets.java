package dev.regimen.api.loss;

import dev.regimen.api.tensor.ShapeException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class targets in their two forms: integer labels [N] (stored as floats, as {@link
 * dev.regimen.api.train.Batch} keeps them; [N, 1] is accepted too) and distributions [N, K] (one-hot,
 * smoothed, or a teacher's probabilities). Shared by the cross-entropy loss, the accuracy metrics and
 * the label-rewriting augmenters.
 */
public final class ClassTargets {
  private ClassTargets() {}

  /**
   * Whether {@code targets} holds labels (rather than distributions) for scores of shape [N, K].
   *
   * @param op the caller's name, for the message
   * @throws ShapeException if the targets fit neither form, naming both shapes
   */
  public static boolean areLabels(String op, long[] scores, long[] targets) {
    if (scores.length != 2) {
      throw new ShapeException(op + ": scores must have shape [N, K]; got " + Arrays.toString(scores));
    }
    long n = scores[0];
    long k = scores[1];
    if (targets.length == 1 && targets[0] == n) {
      return true;
    }
    if (targets.length == 2 && targets[0] == n && targets[1] == k) {
      return false;
    }
    if (targets.length == 2 && targets[0] == n && targets[1] == 1) {
      return true;
    }
    throw new ShapeException(op + ": for scores of shape " + Arrays.toString(scores) + " targets must be labels ["
        + n + "] or distributions " + Arrays.toString(scores) + "; got targets of shape " + Arrays.toString(targets));
  }

  /**
   * The one-hot rows [N, K] of integer labels, made by comparing the labels as a column with the row
   * 0..K-1 (one broadcast comparison, no loop over samples).
   *
   * @param op the caller's name, for the message
   * @throws IllegalArgumentException naming the first label that is not an integer in [0, K)
   */
  public static INDArray oneHot(String op, INDArray labels, long classes, DataType type) {
    long n = labels.length();
    INDArray column = labels.reshape(n, 1).castTo(type);
    INDArray classRow = Nd4j.arange(classes).castTo(type).reshape(1, classes);
    INDArray hot = column.eq(classRow).castTo(type);
    // A label matches at most one class, so every row matched exactly when the ones number N.
    if (hot.sumNumber().longValue() != n) {
      throw badLabel(op, column, hot, classes);
    }
    return hot;
  }

  private static IllegalArgumentException badLabel(String op, INDArray column, INDArray hot, long classes) {
    INDArray matched = hot.sum(1);
    for (long i = 0; i < matched.length(); i++) {
      if (matched.getDouble(i) != 1.0) {
        double label = column.getDouble(i);
        String why = label == Math.rint(label)
            ? ": the scores have " + classes + " columns, one per class; give the model's last layer as many units"
                + " as the data has classes"
            : ": class labels are whole numbers; real-valued targets call for a regression loss such as mse";
        return new IllegalArgumentException(op + ": label " + format(label) + " of sample " + i
            + " is not a class index in [0, " + classes + ")" + why);
      }
    }
    return new IllegalArgumentException(op + ": labels are not class indices in [0, " + classes + ")");
  }

  /**
   * A target value as messages show it: whole numbers without a fraction, and a value that a float
   * holds exactly in float's shortest form ({@code 0.37}, not {@code 0.3700000047683716}).
   */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return (float) value == value ? Float.toString((float) value) : Double.toString(value);
  }
}
