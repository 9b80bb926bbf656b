package dev.regimen.api.component;

import java.util.List;
import java.util.Objects;

/**
 * One option of a component: its name (lower snake case), type, default ({@code null} means
 * required when {@link #required()}, or simply absent), meaning, and the allowed range or choices.
 *
 * @param min inclusive lower bound for numbers, or {@code null}
 * @param max upper bound for numbers, or {@code null}
 * @param maxExclusive whether {@code max} itself is excluded (a dropout rate is in [0, 1))
 * @param choices the allowed strings, or empty for any
 */
public record OptionSpec(
    String name,
    OptionType type,
    Object defaultValue,
    boolean required,
    String description,
    Double min,
    Double max,
    boolean maxExclusive,
    List<String> choices) {

  public OptionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    choices = List.copyOf(choices);
  }

  /** An optional option with a default. */
  public static OptionSpec of(String name, OptionType type, Object defaultValue, String description) {
    return new OptionSpec(name, type, defaultValue, false, description, null, null, false, List.of());
  }

  /** An option that must be given. */
  public static OptionSpec required(String name, OptionType type, String description) {
    return new OptionSpec(name, type, null, true, description, null, null, false, List.of());
  }

  /** This option restricted to [min, max]. */
  public OptionSpec range(double min, double max) {
    return new OptionSpec(name, type, defaultValue, required, description, min, max, false, choices);
  }

  /** This option restricted to [min, max). */
  public OptionSpec rangeExclusive(double min, double max) {
    return new OptionSpec(name, type, defaultValue, required, description, min, max, true, choices);
  }

  /** This option restricted to values of at least min. */
  public OptionSpec atLeast(double min) {
    return new OptionSpec(name, type, defaultValue, required, description, min, null, false, choices);
  }

  /** This option restricted to one of the given strings. */
  public OptionSpec oneOf(String... allowed) {
    return new OptionSpec(name, type, defaultValue, required, description, min, max, maxExclusive, List.of(allowed));
  }

  /** The allowed values in words, e.g. {@code [0, 1)} or {@code one of relu, tanh}; empty if unrestricted. */
  public String constraint() {
    if (!choices.isEmpty()) {
      return "one of " + String.join(", ", choices);
    }
    if (min != null && max != null) {
      return "[" + fmt(min) + ", " + fmt(max) + (maxExclusive ? ")" : "]");
    }
    if (min != null) {
      return ">= " + fmt(min);
    }
    if (max != null) {
      return (maxExclusive ? "< " : "<= ") + fmt(max);
    }
    return "";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
