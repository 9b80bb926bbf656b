package dev.regimen.core.script;

/**
 * A script called the Regimen API wrongly: a missing argument, a value of the wrong kind (a string
 * where a model was expected), an option that does not exist. The message names the call and echoes
 * what was received.
 */
public class ScriptApiException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ScriptApiException(String message) {
    super(message);
  }
}
