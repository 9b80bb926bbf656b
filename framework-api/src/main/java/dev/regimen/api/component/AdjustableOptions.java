package dev.regimen.api.component;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bookkeeping behind an {@link Adjustable} component: its validated options, of which the named
 * ones may change, each change checked through {@link Options#with}. A component keeps one and reads
 * {@link #get} where it used a field:
 *
 * <pre>{@code
 * private final AdjustableOptions adjustable;
 * Dropout(Options options) { adjustable = new AdjustableOptions(options, "rate"); }
 * public Set<String> adjustableOptions() { return adjustable.names(); }
 * public double option(String name) { return adjustable.get(name); }
 * public void adjust(String name, double value) { adjustable.set(name, value); }
 * }</pre>
 */
public final class AdjustableOptions {
  private final Set<String> names;
  private Options options;

  /** {@code names}: the numeric options that may change; each must be one of {@code options}. */
  public AdjustableOptions(Options options, String... names) {
    this.options = options;
    this.names = new LinkedHashSet<>(List.of(names));
    for (String name : names) {
      if (!options.has(name) || !(options.get(name) instanceof Number)) {
        throw new IllegalArgumentException(options.owner() + " has no numeric option '" + name + "' to adjust");
      }
    }
  }

  public Set<String> names() {
    return Set.copyOf(names);
  }

  /** The options as they are now, the changed values included. */
  public Options options() {
    return options;
  }

  public double get(String name) {
    requireAdjustable(name);
    return options.getDouble(name);
  }

  /** Changes one option, checked as the factory checks it; nothing changes if it is refused. */
  public void set(String name, double value) {
    requireAdjustable(name);
    options = options.with(name, value);
  }

  private void requireAdjustable(String name) {
    if (!names.contains(name)) {
      throw new ComponentException("Option '" + name + "' of " + options.owner() + " cannot change while training"
          + " runs; the ones that can: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
  }
}
