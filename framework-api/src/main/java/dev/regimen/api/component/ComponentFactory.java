package dev.regimen.api.component;

import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * Makes one kind of component by name: the extension point that the built-ins and every plugin
 * contribute to (one {@code @Extension} per component).
 *
 * <p>A name is lower case, with dots for variants ({@code dropout.gaussian}) and underscores between
 * words ({@code early_stopping}). The factory declares its options so that listings, scripts and
 * error messages all come from one place; {@link #create(Map)} validates raw options through
 * {@link Options#parse} before {@link #create(Options)} sees them.
 *
 * @param <T> the SPI type made: {@code Layer}, {@code Objective}, {@code Optimizer}, ...
 */
public interface ComponentFactory<T> extends ExtensionPoint {

  ComponentKind kind();

  /** The name scripts use, e.g. {@code dropout.gaussian}. */
  String name();

  /** One line saying what it does, for listings. */
  String description();

  /** Every option, in the order listings show them. */
  List<OptionSpec> options();

  /** Makes the component from validated options. */
  T create(Options options);

  /** Validates raw options (unknown names, types, ranges) and makes the component. */
  default T create(Map<String, ?> rawOptions) {
    return create(Options.parse(kind().id() + " '" + name() + "'", options(), rawOptions));
  }
}
