package dev.regimen.core.metrics;

import dev.regimen.api.train.Metric;
import java.util.Map;

/**
 * The base of the metrics that average over samples or elements: a total and a count summed in double
 * precision over every batch since {@link #reset()}, so that the value over several batches equals the
 * value over their union (accuracy: hits over samples; mse: squared residuals over elements). Both go
 * into a checkpoint taken in the middle of an epoch ({@link #state()}), so a resumed epoch's value
 * is whole.
 */
public abstract class AveragedMetric implements Metric {
  private double total;
  private long count;

  /** Adds a batch: {@code batchTotal} summed over its {@code n} samples (or elements). */
  protected final void add(double batchTotal, long n) {
    total += batchTotal;
    count += n;
  }

  @Override
  public final void reset() {
    total = 0;
    count = 0;
  }

  /** The total over the count since {@link #reset()}, NaN before any sample. */
  @Override
  public final double value() {
    return count == 0 ? Double.NaN : total / count;
  }

  @Override
  public final Map<String, Object> state() {
    return Map.of("total", total, "count", count);
  }

  @Override
  public final void loadState(Map<String, Object> state) {
    if (!state.isEmpty()) {
      total = ((Number) state.get("total")).doubleValue();
      count = ((Number) state.get("count")).longValue();
    }
  }
}
