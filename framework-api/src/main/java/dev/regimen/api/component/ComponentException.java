package dev.regimen.api.component;

/** A component could not be made: unknown name, unknown option, or a bad option value. */
public class ComponentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ComponentException(String message) {
    super(message);
  }
}
