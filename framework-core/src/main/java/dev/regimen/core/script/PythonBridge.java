package dev.regimen.core.script;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * What the Python {@code regimen} module needs from the host beyond {@code rg}: the message of a Java
 * exception that reached Python. GraalPy shows host exceptions as {@code ForeignException} with the
 * Java class name in front and without a Python traceback, so the module turns each into a
 * {@code RegimenError} carrying Regimen's message (and a traceback that points into the script),
 * while the exception itself is kept here for {@link ScriptException#getCause()}.
 */
public final class PythonBridge {
  private final ScriptRuntime runtime;

  PythonBridge(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  /** Regimen's message for a host exception, remembering the exception. */
  @HostAccess.Export
  public String describe(Value exception) {
    if (exception != null && exception.isHostObject() && exception.asHostObject() instanceof Throwable t) {
      runtime.hostError(t);
      return ScriptErrors.describe(t);
    }
    return String.valueOf(exception);
  }

  /**
   * Regimen's message for a call GraalPy refused before Regimen saw it ({@code invalid instantiation
   * of foreign object}: the wrong number or kind of arguments), remembered as a
   * {@link ScriptApiException}.
   *
   * @param receiver the API object called
   * @param method the method's name
   * @param args the arguments as the module passed them
   */
  @HostAccess.Export
  public String badCall(Value receiver, String method, Value args) {
    List<Value> list = new ArrayList<>();
    for (long i = 0; args != null && i < args.getArraySize(); i++) {
      list.add(args.getArrayElement(i));
    }
    Object api = receiver != null && receiver.isHostObject() ? receiver.asHostObject() : null;
    String message = api == null ? "A call to " + method + " was refused" : ScriptCalls.badCall(api, method, list);
    runtime.hostError(new ScriptApiException(message));
    return message;
  }
}
