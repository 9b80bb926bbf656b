package dev.regimen.api.component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The validated options of one component: every declared option with its value or default.
 *
 * <p>{@link #parse} is the one place where option names, types and ranges are checked, so every
 * component rejects bad input the same way: an unknown option lists the known ones; a wrong type or
 * an out-of-range value names the option and echoes what was received ({@code Received: rate=1.5}).
 * Names may be given in camelCase ({@code useBias}), as JavaScript writes them, or snake_case
 * ({@code use_bias}), as Python does.
 */
public final class Options {
  private final String owner;
  private final List<OptionSpec> specs;
  private final Map<String, Object> values;

  private Options(String owner, List<OptionSpec> specs, Map<String, Object> values) {
    this.owner = owner;
    this.specs = specs;
    this.values = values;
  }

  /**
   * Checks raw options (from a script or a config) against the specs and fills in defaults.
   *
   * @param owner how to name the component in messages, e.g. {@code layer 'dropout'}
   */
  public static Options parse(String owner, List<OptionSpec> specs, Map<String, ?> raw) {
    Map<String, OptionSpec> byName = new LinkedHashMap<>();
    for (OptionSpec spec : specs) {
      byName.put(spec.name(), spec);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : raw.entrySet()) {
      String name = byName.containsKey(entry.getKey()) ? entry.getKey() : snakeCase(entry.getKey());
      OptionSpec spec = byName.get(name);
      if (spec == null) {
        throw new ComponentException("Unknown option '" + entry.getKey() + "' for " + owner + ". Known options: "
            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
      }
      if (values.containsKey(name)) {
        throw new ComponentException("Option '" + name + "' of " + owner + " is given twice");
      }
      if (entry.getValue() != null) {
        values.put(name, convert(owner, spec, entry.getKey(), entry.getValue()));
      }
    }
    for (OptionSpec spec : specs) {
      if (!values.containsKey(spec.name())) {
        if (spec.required()) {
          throw new ComponentException("Option '" + spec.name() + "' of " + owner + " is required: "
              + spec.description());
        }
        if (spec.defaultValue() != null) {
          values.put(spec.name(), convert(owner, spec, spec.name(), spec.defaultValue()));
        }
      }
    }
    return new Options(owner, List.copyOf(specs), Collections.unmodifiableMap(values));
  }

  /**
   * These options with one changed, checked as {@link #parse} checks them (a value out of range is
   * refused with the value echoed): how a component's option changes while it runs ({@link
   * Adjustable}).
   */
  public Options with(String name, Object value) {
    Map<String, Object> raw = new LinkedHashMap<>(values);
    raw.put(name, value);
    return parse(owner, specs, raw);
  }

  /** The options with every default, for a component made without arguments. */
  public static Options defaults(String owner, List<OptionSpec> specs) {
    return parse(owner, specs, Map.of());
  }

  public String owner() {
    return owner;
  }

  /** Every option that has a value, defaults included, in declaration order. */
  public Map<String, Object> asMap() {
    return values;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public int getInt(String name) {
    return ((Number) require(name)).intValue();
  }

  public long getLong(String name) {
    return ((Number) require(name)).longValue();
  }

  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  public boolean getBoolean(String name) {
    return (Boolean) require(name);
  }

  public String getString(String name) {
    return (String) require(name);
  }

  @SuppressWarnings("unchecked")
  public List<Integer> getIntList(String name) {
    return (List<Integer>) require(name);
  }

  @SuppressWarnings("unchecked")
  public List<Double> getDoubleList(String name) {
    return (List<Double>) require(name);
  }

  /** The raw value of an {@link OptionType#ANY} option, or {@code null}. */
  public Object get(String name) {
    return values.get(name);
  }

  /** A check that involves several options (groups must divide channels, ...), failing with this component's name. */
  public void check(boolean condition, String message) {
    if (!condition) {
      throw new ComponentException(owner + ": " + message);
    }
  }

  private Object require(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new ComponentException("Option '" + name + "' of " + owner + " has no value");
    }
    return value;
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The value in its declared type, checked against its range; {@code given} is the name as the caller wrote it. */
  private static Object convert(String owner, OptionSpec spec, String given, Object raw) {
    Object value = switch (spec.type()) {
      case INT -> toInt(raw);
      case DOUBLE -> raw instanceof Number n ? (Object) n.doubleValue() : null;
      case BOOLEAN -> raw instanceof Boolean ? raw : null;
      case STRING -> raw instanceof String || raw instanceof Enum<?> ? raw.toString() : null;
      case INT_LIST -> toList(raw, true);
      case DOUBLE_LIST -> toList(raw, false);
      case ANY -> raw;
    };
    if (value == null) {
      throw new ComponentException("Option '" + spec.name() + "' of " + owner + " must be " + article(spec.type())
          + ". Received: " + given + "=" + describe(raw));
    }
    checkRange(owner, spec, given, value, raw);
    return value;
  }

  private static void checkRange(String owner, OptionSpec spec, String given, Object value, Object raw) {
    String constraint = spec.constraint();
    if (constraint.isEmpty()) {
      return;
    }
    List<Object> items = value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    for (Object item : items) {
      boolean ok = true;
      if (!spec.choices().isEmpty()) {
        ok = spec.choices().contains(item.toString());
      } else if (item instanceof Number n) {
        double d = n.doubleValue();
        ok = !Double.isNaN(d)
            && (spec.min() == null || d >= spec.min())
            && (spec.max() == null || (spec.maxExclusive() ? d < spec.max() : d <= spec.max()));
      }
      if (!ok) {
        throw new ComponentException("Option '" + spec.name() + "' of " + owner + " must be " + constraint
            + ". Received: " + given + "=" + describe(raw));
      }
    }
  }

  private static Integer toInt(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      long v = ((Number) raw).longValue();
      return v == (int) v ? (int) v : null;
    }
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : null;
    }
    return null;
  }

  private static List<?> toList(Object raw, boolean ints) {
    List<Object> items = new ArrayList<>();
    if (raw instanceof List<?> list) {
      items.addAll(list);
    } else if (raw instanceof int[] a) {
      for (int v : a) {
        items.add(v);
      }
    } else if (raw instanceof double[] a) {
      for (double v : a) {
        items.add(v);
      }
    } else if (raw instanceof Number) {
      items.add(raw);
    } else {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (Object item : items) {
      Object converted = ints ? toInt(item) : (item instanceof Number n ? n.doubleValue() : null);
      if (converted == null) {
        return null;
      }
      out.add(converted);
    }
    return List.copyOf(out);
  }

  private static String article(OptionType type) {
    return switch (type) {
      case INT -> "an integer";
      case DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case STRING -> "a string";
      case INT_LIST -> "an integer or a list of integers";
      case DOUBLE_LIST -> "a number or a list of numbers";
      case ANY -> "a value";
    };
  }

  private static String describe(Object raw) {
    if (raw instanceof String s) {
      return "'" + s + "'";
    }
    if (raw instanceof int[] a) {
      return java.util.Arrays.toString(a);
    }
    if (raw instanceof double[] a) {
      return java.util.Arrays.toString(a);
    }
    return String.valueOf(raw);
  }
}
