package dev.regimen.core.cli;

import dev.regimen.core.sweep.ChildProcess;
import dev.regimen.core.sweep.RunLauncher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts each run of a sweep as a child process of this launcher: the same {@code java}, the same JVM
 * options (heap, off-heap limits, {@code regimen.home}, so the same plugins folder and data), the same
 * class path, {@link Main} with {@code regimen run ...} or {@code regimen resume ...}.
 *
 * <p>Why processes and not threads: a run owns its JVM the way {@code regimen run} does. ND4J's off-heap
 * memory, workspaces and native threads, GraalVM's contexts, the Log4j appender that copies the
 * console into the run's {@code run.log}, the Ctrl-C handler and {@code System.out} are all per
 * process; a run that leaks, runs out of memory or crashes in native code takes only itself down and is
 * recorded as failed; and each run is exactly the run a user gets from the same {@code --set} and
 * {@code --seed}, so a sweep's number can be reproduced with one {@code regimen run}. The price, a JVM
 * start of a few seconds per run, is small beside training.
 *
 * <p>Cores are shared out through the environment: {@code OMP_NUM_THREADS} (ND4J's native math
 * threads, as {@code bin/regimen} sets it from {@code REGIMEN_THREADS}) is the run's share, and with
 * several runs at a time {@code -XX:ActiveProcessorCount} makes the JVM itself (its GC and compiler
 * threads) see only that many CPUs. Memory is not shared out: each run gets the launcher's heap and
 * off-heap limits ({@code REGIMEN_HEAP}, {@code REGIMEN_OFFHEAP}, {@code REGIMEN_PHYSICAL} apply per
 * run), so {@code --jobs} times those must fit the machine. A debugger agent of the launcher is not
 * passed on (its port would clash).
 */
final class ChildRuns implements RunLauncher {
  private final boolean shareProcessors;

  /** @param shareProcessors whether several runs run at once (the JVM then sees only its share of CPUs) */
  ChildRuns(boolean shareProcessors) {
    this.shareProcessors = shareProcessors;
  }

  /** The command that runs {@code regimen} with these arguments in a JVM like this one. */
  List<String> command(List<String> arguments, int threads) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp")
          || option.startsWith("-XX:ActiveProcessorCount=")) {
        continue;
      }
      command.add(option);
    }
    if (shareProcessors) {
      command.add("-XX:ActiveProcessorCount=" + threads);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(arguments);
    return command;
  }

  /** A run's process: {@link #command} with its share of the native math threads, its output to {@code log}. */
  ChildProcess process(List<String> arguments, Path log, int threads) {
    return new ChildProcess(command(arguments, threads), Map.of("OMP_NUM_THREADS", Integer.toString(threads)),
        log.toAbsolutePath().toString());
  }

  @Override
  public Running start(List<String> arguments, Path log, int threads) throws IOException {
    Process process = process(arguments, log, threads).start();
    return new Running() {
      @Override
      public int waitFor() throws InterruptedException {
        return process.waitFor();
      }

      @Override
      public void stop() {
        process.destroy(); // SIGTERM: the run stops at the next batch boundary, its checkpoint kept
      }
    };
  }

  /**
   * The native math threads this launcher may hand out: {@code OMP_NUM_THREADS} as {@code bin/regimen}
   * set it (from {@code REGIMEN_THREADS}, else the CPUs), else the CPUs.
   */
  static int availableThreads() {
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp != null) {
      try {
        int n = Integer.parseInt(omp.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // An OpenMP list such as "4,2": use the CPUs.
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
