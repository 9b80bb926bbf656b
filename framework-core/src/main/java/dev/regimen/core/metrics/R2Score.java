package dev.regimen.core.metrics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Metric;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The coefficient of determination R^2 = 1 - SS_res / SS_tot, with SS_res = sum (y - p)^2 and
 * SS_tot = sum (y - mean(y))^2 over every sample since {@link #reset()}; for several outputs [N, D]
 * the mean of the per-column values (scikit-learn's {@code r2_score}, {@code multioutput=
 * "uniform_average"}). A column with constant targets scores 1 if predicted exactly and 0 otherwise,
 * as scikit-learn's {@code force_finite} does.
 *
 * <p>SS_tot needs the mean of all targets, which is known only at the end; each batch's count, mean
 * and sum of squared deviations are therefore merged with Chan, Golub and LeVeque's pairwise update
 * (1979, "Updating Formulae and a Pairwise Algorithm for Computing Sample Variances"), which is exact
 * in exact arithmetic and stable in floating point, so batches give the value of their union.
 */
public final class R2Score implements Metric {
  public static final String NAME = "r2";

  private long count;
  private double[] mean;
  private double[] squaredDeviations;
  private double[] squaredResiduals;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void reset() {
    count = 0;
    mean = null;
    squaredDeviations = null;
    squaredResiduals = null;
  }

  @Override
  public void update(Tensor output, Tensor target) {
    INDArray[] pt = Residuals.aligned(NAME, output, target);
    INDArray y = pt[1];
    long n = y.size(0);
    if (n == 0) {
      return;
    }
    int columns = (int) y.size(1);
    if (mean == null) {
      mean = new double[columns];
      squaredDeviations = new double[columns];
      squaredResiduals = new double[columns];
    } else if (mean.length != columns) {
      throw new ShapeException(NAME + ": this batch has " + columns + " output columns, earlier ones had "
          + mean.length);
    }
    INDArray residual = pt[0].sub(y);
    double[] batchResiduals = residual.muli(residual).sum(0).toDoubleVector();
    INDArray batchMeanRow = y.mean(true, 0);
    INDArray deviation = y.subRowVector(batchMeanRow);
    double[] batchDeviations = deviation.muli(deviation).sum(0).toDoubleVector();
    double[] batchMean = batchMeanRow.toDoubleVector();

    long total = count + n;
    for (int j = 0; j < columns; j++) {
      double delta = batchMean[j] - mean[j];
      squaredDeviations[j] += batchDeviations[j] + delta * delta * ((double) count * n / total);
      mean[j] += delta * n / total;
      squaredResiduals[j] += batchResiduals[j];
    }
    count = total;
  }

  @Override
  public double value() {
    if (count == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int j = 0; j < mean.length; j++) {
      double total = squaredDeviations[j];
      double residual = squaredResiduals[j];
      sum += total == 0 ? (residual == 0 ? 1.0 : 0.0) : 1.0 - residual / total;
    }
    return sum / mean.length;
  }

  @Override
  public Map<String, Object> state() {
    if (mean == null) {
      return Map.of();
    }
    return Map.of("count", count, "mean", list(mean), "squared_deviations", list(squaredDeviations),
        "squared_residuals", list(squaredResiduals));
  }

  @Override
  public void loadState(Map<String, Object> state) {
    if (state.isEmpty()) {
      return;
    }
    count = ((Number) state.get("count")).longValue();
    mean = array(state.get("mean"));
    squaredDeviations = array(state.get("squared_deviations"));
    squaredResiduals = array(state.get("squared_residuals"));
  }

  private static List<Double> list(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static double[] array(Object list) {
    return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code r2}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Metric> {
    public Factory() {
      super(ComponentKind.METRIC, NAME, "Coefficient of determination, 1 - SS_res / SS_tot", List.of());
    }

    @Override
    public Metric create(Options options) {
      return new R2Score();
    }
  }
}
