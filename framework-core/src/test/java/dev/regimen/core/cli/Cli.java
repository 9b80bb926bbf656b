package dev.regimen.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Test helpers: the command line run in this JVM, with what it printed. */
final class Cli {
  private Cli() {}

  /**
   * How a command ended.
   *
   * @param out what the command printed (its summary lines)
   * @param err its errors and warnings
   * @param scriptOut what the script printed (the JVM's standard output during the command)
   */
  record Outcome(int exit, String out, String err, String scriptOut) {}

  static Outcome execute(String... args) {
    return executeWatching(null, null, args);
  }

  /**
   * Runs a command; when the script prints {@code marker}, {@code action} runs on the script's
   * thread (a test's stand-in for a signal arriving at a known moment).
   */
  static Outcome executeWatching(String marker, Runnable action, String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    OutputStream watcher = new OutputStream() {
      private boolean fired;

      @Override
      public void write(int b) {
        printed.write(b);
        original.write(b);
        if (!fired && marker != null && printed.toString(StandardCharsets.UTF_8).contains(marker)) {
          fired = true;
          action.run();
        }
      }
    };
    System.setOut(new PrintStream(watcher, true, StandardCharsets.UTF_8));
    // Made after System.out is replaced: made before, the commands' own output did not reach these writers.
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit;
    try {
      exit = cli.execute(args);
    } finally {
      System.setOut(original);
    }
    return new Outcome(exit, out.toString(), err.toString(), printed.toString(StandardCharsets.UTF_8));
  }

  /** The run folders under {@code runs}, by name. */
  static List<Path> runFolders(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> folders = Files.list(runs)) {
      return folders.sorted().toList();
    }
  }

  /** The only run folder under {@code runs}. */
  static Path onlyRunFolder(Path runs) throws IOException {
    List<Path> folders = runFolders(runs);
    if (folders.size() != 1) {
      throw new AssertionError("one run folder expected in " + runs + ": " + folders);
    }
    return folders.get(0);
  }
}
