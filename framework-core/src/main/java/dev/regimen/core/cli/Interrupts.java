package dev.regimen.core.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Ctrl-C during a run: the first asks the run to stop at the next batch boundary (so the last
 * checkpoint is written whole); the second quits at once.
 */
final class Interrupts {
  private static final Logger LOG = LogManager.getLogger(Interrupts.class);
  private static volatile Runnable action;
  private static volatile boolean asked;
  private static boolean installed;

  private Interrupts() {}

  static synchronized void onCtrlC(Runnable stop) {
    action = stop;
    asked = false;
    if (!installed) {
      installed = true;
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handle());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debug("Ctrl-C cannot be caught on this platform: {}", e.getMessage());
      }
    }
  }

  static void clear() {
    action = null;
  }

  private static void handle() {
    Runnable stop = action;
    if (stop == null || asked) {
      Runtime.getRuntime().halt(130);
    }
    asked = true;
    LOG.warn("Stopping at the next batch boundary (the last checkpoint is kept); press Ctrl-C again to quit now.");
    stop.run();
  }
}
