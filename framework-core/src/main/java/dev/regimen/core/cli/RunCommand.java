package dev.regimen.core.cli;

import dev.regimen.core.run.RunFolder;
import dev.regimen.core.script.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen run FILE}: runs a JavaScript or Python script in a fresh run folder
 * ({@code runs/<script>-<yyyyMMdd-HHmmss>/}, under {@code --out} if given) and writes there the log,
 * how it was started ({@code run.json}), the metrics of every epoch, the curves, the checkpoints and a
 * report page; a script that fails before it trains or writes anything leaves no run folder (the
 * console shows its error). Ctrl-C (or SIGTERM) stops training at the next batch boundary with the last checkpoint
 * whole and exits with 130 (143); a second one quits at once. {@code regimen resume} continues such a
 * run.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a training script (.js or .py) and write its run folder.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The script: a .js or .py file.")
  Path script;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A parameter for the script, read with rg.param(KEY, default). Repeatable. "
          + "--set smoke=true runs a short smoke test (1 epoch on a small subset).")
  List<String> sets = new ArrayList<>();

  @CommandLine.Mixin
  RegimenCommand.PluginsDirOption plugins = new RegimenCommand.PluginsDirOption();

  @Option(names = "--out", paramLabel = "DIR", description = "Where run folders go (default: runs/).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "The seed of trainers and splits that set none (default 42).")
  Long seed;

  @Option(names = "--allow-host-access",
      description = "Let the script use Java classes, every file and processes (off: only its folder, the data and the run folder).")
  boolean allowHostAccess;

  @CommandLine.Mixin
  RegimenCommand.ProgressOption progress = new RegimenCommand.ProgressOption();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    checkScript(spec.commandLine(), script);
    RunOptions.Builder check = RunOptions.builder();
    for (String set : sets) {
      try {
        check.set(set);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return new ScriptRun(spec.commandLine(), progress.shown())
        .start(out == null ? RunFolder.DEFAULT_PARENT : out, script, sets, seed, plugins.dir, allowHostAccess);
  }

  /** A usage error unless {@code script} is an existing .js or .py file. */
  static void checkScript(CommandLine cli, Path script) {
    if (!Files.isRegularFile(script)) {
      throw new CommandLine.ParameterException(cli, "No such script: " + script);
    }
    String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".js") && !name.endsWith(".py")) {
      throw new CommandLine.ParameterException(cli, "A script must be a .js (JavaScript) or .py (Python) file: " + script);
    }
  }
}
