package dev.regimen.api.check;

import java.util.Locale;
import java.util.Objects;

/**
 * One line of a check's report: how serious it is and what it says, in words a plugin author can act
 * on ({@code augmenter cutout: option 'p' has no description}).
 */
public record Finding(Level level, String message) {
  /** How serious a finding is: an error fails the check, a note does not. */
  public enum Level {
    OK, NOTE, ERROR;

    /** The lower-case label reports print: {@code ok}, {@code note}, {@code error}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Finding {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
  }

  public static Finding ok(String message) {
    return new Finding(Level.OK, message);
  }

  public static Finding note(String message) {
    return new Finding(Level.NOTE, message);
  }

  public static Finding error(String message) {
    return new Finding(Level.ERROR, message);
  }

  public boolean isError() {
    return level == Level.ERROR;
  }
}
