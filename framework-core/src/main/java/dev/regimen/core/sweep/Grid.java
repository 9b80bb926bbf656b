package dev.regimen.core.sweep;

import dev.regimen.core.run.RunRecorder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grid of a sweep: script parameters and the values each takes, from {@code --grid KEY=V1,V2,...}
 * (one option per parameter, values separated by commas, so a value cannot hold a comma). Its
 * {@linkplain #configs() configurations} are every combination, the first key varying slowest, as
 * nested loops in the order the options were given. A grid without keys has one configuration, the
 * script's defaults: a sweep over seeds only.
 *
 * @param axes each key with its values, in the order given
 */
public record Grid(Map<String, List<String>> axes) {
  public Grid {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    axes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    axes = Collections.unmodifiableMap(copy);
  }

  /**
   * One point of the grid: a value for every key, in the grid's key order.
   *
   * @param values key to value
   */
  public record Config(Map<String, String> values) {
    public Config {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** How tables and charts name it: {@code epochs=1 lr=0.01}; {@code default} for the empty grid's one. */
    public String label() {
      if (values.isEmpty()) {
        return "default";
      }
      List<String> parts = new ArrayList<>();
      values.forEach((k, v) -> parts.add(k + "=" + v));
      return String.join(" ", parts);
    }

    /** The {@code --set KEY=VALUE} arguments that give a run this configuration. */
    public List<String> sets() {
      List<String> out = new ArrayList<>();
      values.forEach((k, v) -> out.add(k + "=" + v));
      return out;
    }

    /** The label as a file name: {@code epochs-1-lr-0.01}. */
    public String fileLabel() {
      return RunRecorder.fileLabel(label());
    }

    /** This configuration with some keys set to other values (a baseline's keys). */
    public Config with(Map<String, String> replaced) {
      Map<String, String> out = new LinkedHashMap<>(values);
      out.putAll(replaced);
      return new Config(out);
    }
  }

  /**
   * Parses {@code --grid} options as given on the command line.
   *
   * @throws IllegalArgumentException naming the option and the bad part: no {@code =}, an empty key or
   *     value, a value listed twice, a key given twice
   */
  public static Grid parse(List<String> options) {
    Map<String, List<String>> axes = new LinkedHashMap<>();
    Map<String, String> given = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("--grid takes KEY=V1,V2,..., e.g. --grid epochs=5,10. Received: --grid "
            + option + " (no '=')");
      }
      String key = option.substring(0, eq).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("--grid takes KEY=V1,V2,..., e.g. --grid epochs=5,10. Received: --grid "
            + option + " (no key before '=')");
      }
      if (given.containsKey(key)) {
        throw new IllegalArgumentException("--grid " + key + " is given twice (--grid " + given.get(key)
            + " and --grid " + option + "): list all its values in one, e.g. --grid " + key + "=1,2,3");
      }
      given.put(key, option);
      String list = option.substring(eq + 1);
      if (list.isBlank()) {
        throw new IllegalArgumentException("--grid " + option + " lists no values: give at least one after '=', e.g. --grid "
            + key + "=1,2");
      }
      String[] parts = list.split(",", -1);
      Set<String> values = new LinkedHashSet<>();
      for (int i = 0; i < parts.length; i++) {
        String value = parts[i].strip();
        if (value.isEmpty()) {
          throw new IllegalArgumentException("--grid " + option + ": value " + (i + 1) + " of " + parts.length
              + " is empty");
        }
        if (!values.add(value)) {
          throw new IllegalArgumentException("--grid " + option + " lists " + key + "=" + value + " twice");
        }
      }
      axes.put(key, new ArrayList<>(values));
    }
    return new Grid(axes);
  }

  /** The keys, in order. */
  public List<String> keys() {
    return List.copyOf(axes.keySet());
  }

  /** Every combination of values, the first key varying slowest. */
  public List<Config> configs() {
    List<Map<String, String>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> point : points) {
        for (String value : axis.getValue()) {
          Map<String, String> extended = new LinkedHashMap<>(point);
          extended.put(axis.getKey(), value);
          next.add(extended);
        }
      }
      points = next;
    }
    return points.stream().map(Config::new).toList();
  }

  /**
   * Parses {@code --baseline KEY=V} options against this grid: the keys must be grid keys and the
   * values among theirs. Without any, the baseline is the first value of every key (the first
   * configuration). A configuration's baseline is itself with these keys set to these values, so
   * {@code --baseline dropout=none} compares every dropout against none at the same other settings.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public Map<String, String> baseline(List<String> options) {
    return baseline(options, "--baseline");
  }

  /**
   * As {@link #baseline(List)}, for an option of another name in the messages ({@code rg.sweep}'s
   * {@code baseline}).
   */
  public Map<String, String> baseline(List<String> options, String option) {
    Map<String, String> out = new LinkedHashMap<>();
    if (options.isEmpty()) {
      axes.forEach((k, v) -> out.put(k, v.get(0)));
      return out;
    }
    for (String entry : options) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(option + " takes KEY=VALUE, a grid key and one of its values, e.g. "
            + option + " " + (axes.isEmpty() ? "epochs=5" : axes.keySet().iterator().next() + "="
            + axes.values().iterator().next().get(0)) + ". Received: " + option + " " + entry);
      }
      String key = entry.substring(0, eq).strip();
      String value = entry.substring(eq + 1).strip();
      List<String> values = axes.get(key);
      if (values == null) {
        throw new IllegalArgumentException(option + " " + entry + ": " + key + " is not a grid key"
            + (axes.isEmpty() ? " (there is no grid)" : " (the grid has: " + String.join(", ", axes.keySet()) + ")"));
      }
      if (!values.contains(value)) {
        throw new IllegalArgumentException(option + " " + entry + ": " + value + " is not one of the grid's values of "
            + key + " (" + String.join(", ", values) + ")");
      }
      if (out.containsKey(key)) {
        throw new IllegalArgumentException(option + " " + key + " is given twice");
      }
      out.put(key, value);
    }
    return out;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    axes.forEach((k, v) -> parts.add(k + "=" + String.join(",", v)));
    return String.join(" ", parts);
  }
}
