package dev.regimen.core.cli;

import dev.regimen.api.tensor.NativeBuild;
import dev.regimen.core.script.ScriptHost;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;

/**
 * The {@code regimen} launcher's entry point. It first chooses the libnd4j build for this CPU
 * ({@link NativeBuild}), then runs the command. Exit codes: 0 success, 1 a script or training error,
 * 2 a usage error (an unknown command or option, a missing file), 130 a run stopped by Ctrl-C (SIGINT)
 * and 143 one stopped by SIGTERM, its last checkpoint kept ({@code regimen resume} continues it).
 */
public final class Main {
  /**
   * Set by the launcher (to the archive's folder) when this JVM writes its class-data archive as it
   * exits: both script languages are then started once before the exit, so that the archive holds
   * their classes whichever language the run used (see the launcher, {@code bin/regimen}).
   */
  static final String CDS_DUMP_PROPERTY = "regimen.cds.dump";

  private Main() {}

  public static void main(String[] args) {
    try {
      NativeBuild.select(); // before anything loads ND4J: the fastest libnd4j build for this CPU
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    int code = execute(args);
    String archiveDir = System.getProperty(CDS_DUMP_PROPERTY);
    if (archiveDir != null) {
      warmUpForArchive(archiveDir);
    }
    System.exit(code);
  }

  /** Loads both script languages' classes for the class-data archive; a failure only costs speed later. */
  private static void warmUpForArchive(String archiveDir) {
    System.err.println("regimen: writing the class-data archive that makes later starts faster to " + archiveDir
        + " (once for this JDK and distribution; REGIMEN_CDS=off turns it off)");
    if (!ScriptHost.shared().warmUp()) {
      LogManager.getLogger(Main.class).debug("A script language did not start: the archive lacks some of its classes");
    }
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
