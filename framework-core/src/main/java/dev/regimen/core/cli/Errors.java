package dev.regimen.core.cli;

/** Turns an exception into the one line a user needs, without a Java stack trace. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
