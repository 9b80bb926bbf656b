package dev.regimen.plugins.augmentation;

import dev.regimen.api.tensor.ShapeException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class targets as distributions [N, K], for the augmenters that rewrite them. Labels [N] (or
 * [N, 1]) become one-hot rows; distributions [N, K] (already smoothed or mixed) are kept. The core's
 * {@code ClassTargets} does the same for the losses, but plugins compile against the API only.
 */
final class Targets {
  private Targets() {}

  /**
   * The targets of n samples as rows [N, K] of the given type.
   *
   * @param classes the data set's number of classes (the context's {@code numClasses()}), 0 if unknown
   * @throws ShapeException if the targets are neither labels [N] nor rows [N, K]
   * @throws IllegalArgumentException naming a label that is not a class index in [0, K)
   */
  static INDArray distributions(String op, INDArray targets, long n, int classes, DataType type) {
    long[] shape = targets.shape();
    boolean labels = (shape.length == 1 && shape[0] == n) || (shape.length == 2 && shape[0] == n && shape[1] == 1);
    if (labels) {
      if (classes < 2) {
        throw new IllegalArgumentException(op + ": class labels need the number of classes, but the training data"
            + " reports " + classes + "; it needs a classification data set");
      }
      return oneHot(op, targets, classes, type);
    }
    if (shape.length == 2 && shape[0] == n && (classes == 0 || shape[1] == classes)) {
      return targets.castTo(type);
    }
    throw new ShapeException(op + ": targets must be class labels [" + n + "] or distributions [" + n + ", "
        + (classes > 0 ? classes : "K") + "]; got shape " + Arrays.toString(shape));
  }

  /** One-hot rows: the labels as a column compared with the row 0..K-1 (one broadcast comparison). */
  static INDArray oneHot(String op, INDArray labels, long classes, DataType type) {
    long n = labels.length();
    INDArray column = labels.reshape(n, 1).castTo(DataType.DOUBLE);
    INDArray hot = column.eq(Nd4j.arange(classes).castTo(DataType.DOUBLE).reshape(1, classes)).castTo(type);
    if (hot.sumNumber().longValue() != n) {
      INDArray matched = hot.sum(1);
      for (long i = 0; i < n; i++) {
        if (matched.getDouble(i) != 1.0) {
          throw new IllegalArgumentException(op + ": label " + column.getDouble(i) + " of sample " + i
              + " is not a class index in [0, " + classes + ")");
        }
      }
    }
    return hot;
  }
}
