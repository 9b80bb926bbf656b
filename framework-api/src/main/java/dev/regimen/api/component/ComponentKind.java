package dev.regimen.api.component;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a component is; each kind has its own name space, so a layer and a metric may share a name. */
public enum ComponentKind {
  LAYER,
  OBJECTIVE,
  OPTIMIZER,
  REGULARIZER,
  AUGMENTER,
  SCHEDULER,
  METRIC,
  INITIALIZER;

  /** The lower-case name used in scripts and listings ({@code layer}, {@code objective}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()} (case-insensitively); the error lists the kinds there are. */
  public static ComponentKind parse(String id) {
    for (ComponentKind kind : values()) {
      if (kind.id().equalsIgnoreCase(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Unknown component kind '" + id + "'; known kinds: "
        + Arrays.stream(values()).map(ComponentKind::id).collect(Collectors.joining(", ")));
  }
}
