package dev.regimen.core.metrics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.train.Metric;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error over every element seen since {@link #reset()}: sum (p - t)^2 / count, with the
 * sum kept in double precision, so the value over several batches equals the value over their union
 * (Keras' {@code MeanSquaredError} metric). Named {@code mse}; lower is better.
 */
public final class MeanSquaredErrorMetric extends MeanResidualMetric {
  public static final String NAME = "mse";

  public MeanSquaredErrorMetric() {
    super(NAME);
  }

  @Override
  double sum(INDArray residual) {
    return residual.muli(residual).sumNumber().doubleValue();
  }

  /** Makes {@code mse}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Metric> {
    public Factory() {
      super(ComponentKind.METRIC, NAME, "Mean squared error, mean((p - t)^2)", List.of());
    }

    @Override
    public Metric create(Options options) {
      return new MeanSquaredErrorMetric();
    }
  }
}
