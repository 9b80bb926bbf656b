package dev.regimen.core.script;

import java.nio.file.Path;

/**
 * A script failed: where (the script's file and line) and why, in the words a script author needs
 * rather than a Java stack trace.
 *
 * <p>When Regimen refused something (an unknown component, a bad option, bad data, a shape mismatch,
 * a training that could not go on), {@link #message()} is Regimen's own message and
 * {@link #regimenError()} the exception Regimen threw. Errors of the script itself (a
 * {@code TypeError}, a syntax error) carry the language's message.
 */
public class ScriptException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String message;
  private final String errorType;

  /**
   * @param file the script file the error points at, or {@code null} if unknown
   * @param line the line, from 1, or 0 if unknown
   * @param errorType what kind of error, e.g. {@code TypeError} or {@code ComponentException}
   * @param message what went wrong
   * @param cause Regimen's exception, or another underlying one, or {@code null}
   */
  public ScriptException(Path file, int line, String errorType, String message, Throwable cause) {
    super(format(file, line, message), cause);
    this.file = file;
    this.line = line;
    this.message = message;
    this.errorType = errorType;
  }

  /** The file the error points at, or {@code null}. */
  public Path file() {
    return file;
  }

  /** The line, from 1, or 0 when it is not known. */
  public int line() {
    return line;
  }

  /** What went wrong, without the location. */
  public String message() {
    return message;
  }

  /** The kind of error: the guest language's error type or Regimen's exception's simple name. */
  public String errorType() {
    return errorType;
  }

  /** The exception Regimen threw, if the error came from Regimen rather than the script's own code. */
  public Throwable regimenError() {
    return ScriptErrors.isRegimenError(getCause()) ? getCause() : null;
  }

  private static String format(Path file, int line, String message) {
    if (file == null) {
      return message;
    }
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return name + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
