package dev.regimen.core.cli;

import dev.regimen.api.tensor.NativeBuild;
import picocli.CommandLine;

/**
 * The {@code regimen} launcher's entry point. It first chooses the libnd4j build for this CPU
 * ({@link NativeBuild}), then runs the command. Exit codes: 0 success, 1 a script or training error,
 * 2 a usage error (an unknown command or option, a missing file), 130 a run stopped by Ctrl-C (SIGINT)
 * and 143 one stopped by SIGTERM, its last checkpoint kept ({@code regimen resume} continues it).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    try {
      NativeBuild.select(); // before anything loads ND4J: the fastest libnd4j build for this CPU
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting (for tests and embedding). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RegimenCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + Errors.describe(e)));
      return 1;
    });
    return cli;
  }
}
