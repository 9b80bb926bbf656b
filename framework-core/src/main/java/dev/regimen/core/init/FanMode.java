package dev.regimen.core.init;

import java.util.Locale;

/**
 * Which fan a variance-scaling initializer divides by: {@code fan_in} keeps the variance of the
 * activations constant in the forward pass, {@code fan_out} that of the gradients in the backward
 * pass (He et al. 2015, section 2.2).
 */
public enum FanMode {
  FAN_IN,
  FAN_OUT;

  /** The option value, {@code fan_in} or {@code fan_out}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()}; the error echoes the value and lists both. */
  public static FanMode parse(String id) {
    for (FanMode mode : values()) {
      if (mode.id().equals(id)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode must be fan_in or fan_out. Received: mode='" + id + "'");
  }

  long select(long fanIn, long fanOut) {
    return this == FAN_IN ? fanIn : fanOut;
  }
}
