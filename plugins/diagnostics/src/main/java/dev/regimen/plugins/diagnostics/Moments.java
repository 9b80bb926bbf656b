package dev.regimen.plugins.diagnostics;

import dev.regimen.api.tensor.Tensor;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The statistics the diagnostics record, computed in double precision. */
final class Moments {
  private Moments() {}

  /**
   * The population variance of every channel of a batch: over the batch and every axis after the
   * channel axis (axis 1), as batch norm takes it; a batch [N] is one channel.
   */
  static double[] channelVariances(Tensor batch) {
    INDArray x = batch.array().castTo(DataType.DOUBLE);
    if (x.rank() == 1) {
      return new double[] {variance(x)};
    }
    int[] axes = IntStream.range(0, x.rank()).filter(a -> a != 1).toArray();
    return x.var(false, axes).toDoubleVector();
  }

  static double average(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double mean(INDArray x) {
    return x.castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  /** The population variance of every element: (1/n) sum (x - mean)^2. */
  static double variance(INDArray x) {
    INDArray d = x.castTo(DataType.DOUBLE);
    double norm = d.sub(d.meanNumber()).norm2Number().doubleValue();
    return norm * norm / d.length();
  }

  /** The fraction of elements that are exactly zero. */
  static double zeroFraction(INDArray x) {
    return x.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  /** The fraction of elements with |x| below the threshold. */
  static double fractionBelow(INDArray x, double threshold) {
    return Transforms.abs(x.castTo(DataType.DOUBLE)).lt(threshold).castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }
}
