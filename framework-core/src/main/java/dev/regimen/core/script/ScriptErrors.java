package dev.regimen.core.script;

import java.util.Objects;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Turns what the script host catches into messages for script authors. */
final class ScriptErrors {
  private ScriptErrors() {}

  /**
   * Whether an exception is Regimen refusing something, whose message is written for users: one of
   * Regimen's own exceptions (components, data, shapes, training, checkpoints, the script API) or an
   * argument or state check.
   */
  static boolean isRegimenError(Throwable t) {
    if (t == null) {
      return false;
    }
    if (t.getClass().getName().startsWith("dev.regimen.")) {
      return true;
    }
    return t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof UnsupportedOperationException || t instanceof ArithmeticException;
  }

  /** The message to show: Regimen's message as it is; anything else with its type, as an internal error. */
  static String describe(Throwable t) {
    if (t instanceof PolyglotException p) {
      return p.getMessage();
    }
    String message = t.getMessage();
    if (isRegimenError(t) && message != null && !message.isBlank()) {
      return message;
    }
    return "internal error: " + t.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** The kind of error as listings show it: the exception's simple name. */
  static String type(Throwable t) {
    return t.getClass().getSimpleName();
  }

  /** The line of a source section, or 0. */
  static int line(SourceSection section) {
    return section == null || !section.isAvailable() ? 0 : section.getStartLine();
  }

  static boolean sameFile(SourceSection section, String path) {
    return section != null && section.getSource() != null
        && (Objects.equals(section.getSource().getPath(), path) || Objects.equals(section.getSource().getName(), path));
  }
}
