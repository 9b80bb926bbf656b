package dev.regimen.core.schedule;

import dev.regimen.api.component.ComponentException;
import java.util.Locale;

/**
 * Whether a larger value of a metric is better, inferred from its name, so that a monitor never
 * picks the worst model (DL4J issues #5760 and #5459: early stopping on accuracy kept the lowest).
 * {@code val_} prefixes are ignored; {@code mode} overrides the inference.
 */
public enum MetricDirection {
  MIN,
  MAX;

  /** Parses {@code min}, {@code max} or {@code auto} (infer from the metric's name). */
  public static MetricDirection resolve(String mode, String metric, String owner) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "min" -> MIN;
      case "max" -> MAX;
      case "auto" -> infer(metric, owner);
      default -> throw new ComponentException(owner + ": mode must be one of auto, min, max. Received: mode='" + mode + "'");
    };
  }

  static MetricDirection infer(String metric, String owner) {
    String m = metric.startsWith("val_") ? metric.substring(4) : metric;
    if (m.endsWith("accuracy") || m.equals("r2") || m.equals("auc") || m.equals("f1") || m.equals("precision")
        || m.equals("recall")) {
      return MAX;
    }
    if (m.endsWith("loss") || m.equals("mse") || m.equals("mae") || m.equals("rmse") || m.endsWith("error")) {
      return MIN;
    }
    throw new ComponentException(owner + ": cannot tell whether a larger '" + metric
        + "' is better; set mode to 'min' or 'max'");
  }

  /** Whether {@code value} improves on {@code best} by more than {@code minDelta}. */
  public boolean improves(double value, double best, double minDelta) {
    if (Double.isNaN(value)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return this == MIN ? value < best - minDelta : value > best + minDelta;
  }
}
