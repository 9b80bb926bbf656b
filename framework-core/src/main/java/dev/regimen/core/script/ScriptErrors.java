package dev.regimen.core.script;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

  /**
   * The message to show: a sandbox refusal in the script author's words; Regimen's message as it is;
   * anything else with its type, as an internal error.
   */
  static String describe(Throwable t) {
    if (t instanceof PolyglotException p) {
      return p.getMessage();
    }
    String message = t.getMessage();
    Optional<String> refusal = sandboxRefusal(message);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    if (isRegimenError(t) && message != null && !message.isBlank()) {
      return message;
    }
    return "internal error: " + t.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /**
   * GraalVM's refusals for what a sandboxed context may not do, by the start of their messages, and
   * what a script author reads instead: GraalVM's own words name its embedding API
   * ({@code Context.Builder.allowCreateProcess(true)}), which a script cannot set.
   */
  private static final List<Map.Entry<String, String>> SANDBOX_REFUSALS = List.of(
      Map.entry("Process creation is not allowed",
          "A script cannot start processes (os.system, subprocess and the like) in the sandbox"),
      Map.entry("Creating threads is not allowed", "A script cannot start threads in the sandbox"),
      Map.entry("host lookup is not allowed",
          "A script cannot use Java classes in the sandbox, only the Regimen API (rg)"));

  /**
   * The sandbox's refusal in the script author's words, naming the flag that lifts it, when
   * {@code message} is one of GraalVM's (possibly behind an exception class name); empty otherwise.
   */
  static Optional<String> sandboxRefusal(String message) {
    if (message == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, String> refusal : SANDBOX_REFUSALS) {
      if (message.contains(refusal.getKey())) {
        return Optional.of(refusal.getValue() + "; run with " + SandboxException.FLAG + " to allow it");
      }
    }
    return Optional.empty();
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
