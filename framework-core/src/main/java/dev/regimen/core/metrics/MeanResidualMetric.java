package dev.regimen.core.metrics;

import dev.regimen.api.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared part of the mean-residual metrics ({@code mse}, {@code mae}): a per-element loss of the
 * residual p - t summed in double precision over every batch since {@link #reset()} and divided by
 * the element count, so the value over several batches equals the value over their union. Lower is
 * better.
 */
abstract class MeanResidualMetric extends AveragedMetric {
  private final String name;

  MeanResidualMetric(String name) {
    this.name = name;
  }

  /** The sum of the per-element loss over a residual (which may be modified in place). */
  abstract double sum(INDArray residual);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean higherIsBetter() {
    return false;
  }

  @Override
  public final void update(Tensor output, Tensor target) {
    INDArray residual = Residuals.of(name, output, target);
    long n = residual.length();
    add(sum(residual), n);
  }

  @Override
  public String toString() {
    return name;
  }
}
