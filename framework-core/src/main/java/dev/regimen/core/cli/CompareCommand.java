package dev.regimen.core.cli;

import dev.regimen.core.run.RunFolder;
import dev.regimen.core.sweep.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen compare PATH...}: run folders and sweep folders in one report, their curves overlaid
 * and their final metrics in one table (see {@link Comparison}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare run folders and sweep folders in one report: curves overlaid, final metrics in one table"
        + " (with 95%% intervals where a sweep has several seeds).",
        "Writes <out>/compare-<time>/ with report.html, summary.csv and runs.csv."})
final class CompareCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Run folders or sweep folders.")
  List<Path> paths;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the comparison folder goes (default: runs/).")
  Path out;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    for (Path p : paths) {
      if (!Files.isDirectory(p)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "No such folder: " + p);
      }
    }
    Path report;
    try {
      report = Comparison.write(paths, out == null ? RunFolder.DEFAULT_PARENT : out);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println("Report: " + report);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
