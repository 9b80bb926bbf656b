package dev.regimen.api.tensor;

/** Raised at the op whose operands have incompatible shapes; the message names the op and both shapes. */
public class ShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(message);
  }
}
