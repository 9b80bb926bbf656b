package dev.regimen.core.metrics;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.train.Metric;
import java.util.List;

/** The factories of the built-in metrics, for the component registry. */
public final class MetricFactories {
  private MetricFactories() {}

  /** One factory per built-in metric, in the order listings show them. */
  public static List<ComponentFactory<Metric>> all() {
    return List.of(
        new Accuracy.Factory(),
        new TopKAccuracy.Factory(),
        new MeanSquaredErrorMetric.Factory(),
        new MeanAbsoluteErrorMetric.Factory(),
        new R2Score.Factory());
  }
}
