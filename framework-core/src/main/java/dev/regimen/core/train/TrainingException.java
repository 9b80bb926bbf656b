package dev.regimen.core.train;

import dev.regimen.api.train.History;

/** Training could not go on (a non-finite loss, a failing component); the history so far is kept. */
public class TrainingException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient History history;

  public TrainingException(String message, History history, Throwable cause) {
    super(message, cause);
    this.history = history;
  }

  /** Every metric recorded before training stopped. */
  public History history() {
    return history;
  }
}
