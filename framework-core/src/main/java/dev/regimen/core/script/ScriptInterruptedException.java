package dev.regimen.core.script;

/** The run was interrupted (Ctrl-C): thrown into the script by the next Regimen call so that it stops. */
public class ScriptInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScriptInterruptedException() {
    super("The run was interrupted");
  }
}
