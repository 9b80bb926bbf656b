package dev.regimen.core.metrics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.train.Metric;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean absolute error over every element seen since {@link #reset()}: sum |p - t| / count, with the
 * sum kept in double precision, so the value over several batches equals the value over their union
 * (Keras' {@code MeanAbsoluteError} metric). Named {@code mae}; lower is better.
 */
public final class MeanAbsoluteErrorMetric extends MeanResidualMetric {
  public static final String NAME = "mae";

  public MeanAbsoluteErrorMetric() {
    super(NAME);
  }

  @Override
  double sum(INDArray residual) {
    return residual.norm1Number().doubleValue();
  }

  /** Makes {@code mae}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Metric> {
    public Factory() {
      super(ComponentKind.METRIC, NAME, "Mean absolute error, mean(|p - t|)", List.of());
    }

    @Override
    public Metric create(Options options) {
      return new MeanAbsoluteErrorMetric();
    }
  }
}
