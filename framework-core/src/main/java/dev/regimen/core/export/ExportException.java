package dev.regimen.core.export;

/** An export that cannot be made: a layer without the form the format needs, a checkpoint that says too little. */
public final class ExportException extends RuntimeException {
  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
