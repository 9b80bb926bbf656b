package dev.regimen.core.sweep;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a sweep as a process to start: the command line (the launcher's {@code java}, JVM options and class
 * path, then {@code regimen run ...} or {@code regimen resume ...}), what it adds to the environment (the native
 * math threads) and the log its console output is appended to. Plain, serializable data, so that a cluster's
 * task ({@link SweepCluster}) can start the same process on another machine as the launcher starts here: that
 * is what makes a run there the run {@code --jobs} would have made.
 *
 * @param command the command line, the program first
 * @param environment variables set for the process on top of the environment it starts in
 * @param log the absolute path of the log the process's standard output and error are appended to
 */
public record ChildProcess(List<String> command, Map<String, String> environment, String log)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ChildProcess {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(log, "log");
  }

  /** Starts the process, its output appended to {@link #log()} and its standard input closed. */
  public Process start() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log)));
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }
}
