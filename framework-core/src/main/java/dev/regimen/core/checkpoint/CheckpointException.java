package dev.regimen.core.checkpoint;

/**
 * A checkpoint or safetensors file that cannot be written or read; the message names the file, and the
 * tensor or field where one is at fault, and says why.
 */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
