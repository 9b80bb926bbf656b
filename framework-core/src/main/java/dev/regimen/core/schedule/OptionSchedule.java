package dev.regimen.core.schedule;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import java.util.List;

/**
 * {@code schedule}: any numeric option of an {@link Adjustable} component follows a schedule over the
 * epochs, as the learning rate follows its schedules, and the history records its value of every epoch
 * (so {@code metrics.csv} has a column for it). At the start of epoch e (from 0), the option is set to
 *
 * <pre>
 *   values[min(e, len - 1)]                                   with {@code values}
 *   start + (end - start) x                                   linear
 *   end + (start - end) (1 + cos(pi x)) / 2                   cosine
 *   start (end / start)^x                                     exponential (start, end &gt; 0)
 *   x = min(1, e / (epochs - 1))                              over {@code epochs} (absent: the run's)
 * </pre>
 *
 * <p>so the first epoch uses {@code start} and epoch {@code epochs - 1} and later ones {@code end}. The
 * component checks each value as its factory does (a dropout rate stays in [0, 1)); a refused value
 * stops training with the component's message. The metric is named {@code metric}, by default {@code
 * <layer>/<option>} for a layer ({@code dropout_1/rate}) and {@code <option>} otherwise ({@code eps}).
 */
public final class OptionSchedule implements Scheduler {
  private final Adjustable target;
  private final String option;
  private final List<Double> values;
  private final double start;
  private final double end;
  private final String shape;
  private final int epochsOption;
  private final String metricOption;

  public OptionSchedule(Options options) {
    Object given = options.get("target");
    if (!(given instanceof Adjustable adjustable)) {
      throw new ComponentException(options.owner() + ": target must be a component whose options can change while"
          + " training runs (a dropout layer, fgsm, mixup, distillation, a weight penalty, ...). Received: target="
          + given);
    }
    this.target = adjustable;
    this.option = options.getString("option");
    options.check(target.adjustableOptions().contains(option), "the target's option '" + option + "' cannot change"
        + " while training runs; the ones that can: " + String.join(", ", target.adjustableOptions())
        + ". Received: option='" + option + "'");
    this.values = options.has("values") ? options.getDoubleList("values") : List.of();
    boolean ramp = options.has("start") || options.has("end");
    options.check(values.isEmpty() == ramp, "give either values (one per epoch) or start and end. Received: "
        + options);
    options.check(!ramp || (options.has("start") && options.has("end")), "a ramp needs both start and end. Received: "
        + options);
    this.start = ramp ? options.getDouble("start") : Double.NaN;
    this.end = ramp ? options.getDouble("end") : Double.NaN;
    this.shape = options.getString("shape");
    options.check(!ramp || !shape.equals("exponential") || (start > 0 && end > 0),
        "an exponential ramp needs start and end > 0. Received: start=" + start + ", end=" + end);
    this.epochsOption = options.getInt("epochs");
    this.metricOption = options.has("metric") ? options.getString("metric") : null;
  }

  /** The value of epoch e (from 0) in a run of {@code runEpochs}. */
  double valueAt(int epoch, int runEpochs) {
    if (!values.isEmpty()) {
      return values.get(Math.min(epoch, values.size() - 1));
    }
    int span = (epochsOption > 0 ? epochsOption : runEpochs) - 1;
    double x = span <= 0 ? 1 : Math.min(1.0, (double) epoch / span);
    return switch (shape) {
      case "cosine" -> end + (start - end) * (1 + Math.cos(Math.PI * x)) / 2;
      case "exponential" -> start * Math.pow(end / start, x);
      default -> start + (end - start) * x;
    };
  }

  private String metric() {
    if (metricOption != null) {
      return metricOption;
    }
    return target instanceof Layer layer && layer.name() != null ? layer.name() + "/" + option : option;
  }

  @Override
  public void onEpochStart(TrainingControl control) {
    target.adjust(option, valueAt(control.epoch(), control.epochs()));
  }

  @Override
  public void onEpochEnd(TrainingControl control) {
    control.record(metric(), target.option(option));
  }

  @Override
  public String toString() {
    return "schedule(" + metric() + ")";
  }
}
