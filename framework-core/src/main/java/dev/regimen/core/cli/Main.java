package dev.regimen.core.cli;

import picocli.CommandLine;

/**
 * The {@code regimen} launcher's entry point. Exit codes: 0 success, 1 a script or training error,
 * 2 a usage error (an unknown command or option, a missing file).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
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
