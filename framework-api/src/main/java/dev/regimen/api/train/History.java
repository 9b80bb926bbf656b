package dev.regimen.api.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** Every metric per epoch, in the order first recorded: what training leaves behind to plot and compare. */
public final class History {
  private final List<Map<String, Double>> epochs = new ArrayList<>();

  /** Records a value for an epoch (0-based); epochs between are created empty. */
  public void record(int epoch, String metric, double value) {
    while (epochs.size() <= epoch) {
      epochs.add(new LinkedHashMap<>());
    }
    epochs.get(epoch).put(metric, value);
  }

  public int epochs() {
    return epochs.size();
  }

  /** The metrics of one epoch. */
  public Map<String, Double> epoch(int epoch) {
    return Collections.unmodifiableMap(epochs.get(epoch));
  }

  /** The values of one metric over epochs ({@code NaN} where an epoch lacks it). */
  public List<Double> series(String metric) {
    List<Double> out = new ArrayList<>();
    for (Map<String, Double> e : epochs) {
      out.add(e.getOrDefault(metric, Double.NaN));
    }
    return out;
  }

  /** The latest value of a metric, if any epoch has it. */
  public OptionalDouble last(String metric) {
    for (int i = epochs.size() - 1; i >= 0; i--) {
      Double v = epochs.get(i).get(metric);
      if (v != null) {
        return OptionalDouble.of(v);
      }
    }
    return OptionalDouble.empty();
  }

  /** Every metric name recorded, in first-seen order. */
  public Set<String> metrics() {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Double> e : epochs) {
      names.addAll(e.keySet());
    }
    return names;
  }

  /** Drops epochs from {@code epoch} on (a resumed run replays them). */
  public void truncate(int epoch) {
    while (epochs.size() > epoch) {
      epochs.remove(epochs.size() - 1);
    }
  }
}
