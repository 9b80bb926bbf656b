package dev.regimen.core.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: the first asks the run to stop at the next batch boundary
 * (so the last checkpoint is written whole) and the command then exits with 128 + the signal's number
 * ({@value #SIGINT_EXIT} or {@value #SIGTERM_EXIT}, as a shell reports a process ended by it); a second
 * signal quits at once with that code. A signal when no run is going quits at once too.
 */
final class Interrupts {
  /** The exit code of a run stopped by Ctrl-C (SIGINT, signal 2). */
  static final int SIGINT_EXIT = 130;

  /** The exit code of a run stopped by SIGTERM (signal 15), as {@code kill} or a job scheduler sends it. */
  static final int SIGTERM_EXIT = 143;

  private static final Logger LOG = LogManager.getLogger(Interrupts.class);
  private static volatile Runnable action;
  private static volatile int received;
  private static boolean installed;

  private Interrupts() {}

  /** Catches SIGINT and SIGTERM from now on; the first of them runs {@code stop}. */
  static synchronized void onSignal(Runnable stop) {
    action = stop;
    received = 0;
    if (!installed) {
      installed = true;
      for (String name : new String[] {"INT", "TERM"}) {
        try {
          sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> raise(signal.getName()));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
          LOG.debug("SIG{} cannot be caught on this platform: {}", name, e.getMessage());
        }
      }
    }
  }

  /** Forgets the run's stop action; a later signal quits at once. */
  static void clear() {
    action = null;
  }

  /**
   * The exit code for a run that was interrupted: that of the signal received since {@link #onSignal},
   * or {@value #SIGINT_EXIT} if the run was stopped some other way.
   */
  static int exitCode() {
    int code = received;
    return code == 0 ? SIGINT_EXIT : code;
  }

  /** What the handler of signal {@code name} ({@code INT} or {@code TERM}) does; tests call it directly. */
  static void raise(String name) {
    int code = "TERM".equals(name) ? SIGTERM_EXIT : SIGINT_EXIT;
    Runnable stop = action;
    if (stop == null || received != 0) {
      Runtime.getRuntime().halt(code);
    }
    received = code;
    LOG.warn("SIG{}: stopping at the next batch boundary (the last checkpoint is kept); {} again quits now.", name,
        "INT".equals(name) ? "Ctrl-C" : "the signal");
    stop.run();
  }
}
