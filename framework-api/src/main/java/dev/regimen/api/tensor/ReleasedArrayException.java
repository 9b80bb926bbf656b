package dev.regimen.api.tensor;

/**
 * A tensor or array was used after the step scope that made it had ended (see {@link StepMemory}):
 * its memory has been released and may already hold another step's values.
 */
public final class ReleasedArrayException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ReleasedArrayException(String message) {
    super(message);
  }
}
