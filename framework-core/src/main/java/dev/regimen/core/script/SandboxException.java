package dev.regimen.core.script;

/**
 * The sandbox refused a script something: a file outside the folders it may read or write, a
 * process, a thread, a Java class. The message says, in the script author's words, what was refused,
 * what a sandboxed script may do instead and that {@code --allow-host-access} lifts the sandbox. It is
 * a {@link SecurityException}, so that GraalVM's languages report a refused file as theirs
 * ({@code PermissionError} in Python).
 */
public class SandboxException extends SecurityException {
  private static final long serialVersionUID = 1L;

  /** The launcher flag that lifts the sandbox, as the messages name it. */
  public static final String FLAG = "--allow-host-access";

  public SandboxException(String message) {
    super(message);
  }
}
