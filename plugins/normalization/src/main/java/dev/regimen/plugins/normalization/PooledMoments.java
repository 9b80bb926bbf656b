package dev.regimen.plugins.normalization;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact mean and variance per channel of every value seen, pooled from the moments of batches
 * of any sizes as if they had been one batch: Chan, Golub and LeVeque's update (1979), in float64.
 * For a running total of n values with mean m and sum of squared deviations M, a batch of k values
 * with mean m_b and biased variance v_b gives d = m_b - m, m += d k / (n + k), M += k v_b + d^2 n k /
 * (n + k). No sums of squares are subtracted, so nothing cancels.
 */
final class PooledMoments {
  private long count;
  private INDArray mean;
  private INDArray squaredDeviations;

  /** Adds a batch of {@code values} values per channel with this mean and biased variance. */
  void add(INDArray batchMean, INDArray batchVariance, long values) {
    INDArray m = batchMean.castTo(DataType.DOUBLE);
    INDArray deviations = batchVariance.castTo(DataType.DOUBLE).mul(values);
    if (count == 0) {
      mean = m.dup();
      squaredDeviations = deviations;
      count = values;
      return;
    }
    long total = count + values;
    INDArray delta = m.sub(mean);
    mean.addi(delta.mul((double) values / total));
    squaredDeviations.addi(deviations).addi(delta.muli(delta).muli((double) count * values / total));
    count = total;
  }

  /** How many values per channel were added. */
  long count() {
    return count;
  }

  /** The pooled mean, in float64. */
  INDArray mean() {
    return mean;
  }

  /** The pooled unbiased variance M / (n - 1), in float64; needs at least two values. */
  INDArray unbiasedVariance() {
    return squaredDeviations.div(count - 1);
  }
}
