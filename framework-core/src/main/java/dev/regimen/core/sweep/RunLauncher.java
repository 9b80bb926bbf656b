package dev.regimen.core.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a sweep starts one of its runs: with the arguments of the {@code regimen} command line
 * ({@code run SCRIPT --set ... --seed N --out DIR}, or {@code resume FOLDER}), its console output going
 * to a log file, and a number of native math threads. The CLI's launcher starts a child process; tests
 * give a stand-in.
 */
public interface RunLauncher {
  /**
   * Starts a run; returns at once.
   *
   * @param arguments the command line after {@code regimen}
   * @param log where the run's standard output and error go (appended to)
   * @param threads the native math threads it may use
   */
  Running start(List<String> arguments, Path log, int threads) throws IOException;

  /** A run that was started. */
  interface Running {
    /** Waits until the run ends; returns its exit code (0, 1 for a failure, 130/143 when stopped by a signal). */
    int waitFor() throws InterruptedException;

    /** Asks the run to stop as {@code SIGTERM} does: at the next batch boundary, its checkpoint kept. */
    void stop();

    /**
     * Why the sweep may not find the run folder of this run although the run made one, for the error it records
     * then: a run on another machine writes its folder there ({@code null}: it ran here).
     */
    default String missingFolderHint() {
      return null;
    }
  }
}
