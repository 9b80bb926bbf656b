package dev.regimen.core.cli;

import dev.regimen.core.run.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen resume RUN_FOLDER}: continues a run that was interrupted (Ctrl-C, SIGTERM) or killed,
 * in its own folder. The script runs again with the settings {@code run.json} recorded (its
 * {@code --set} values, seed, plugins folder and sandbox); each trainer that saves checkpoints
 * continues from its {@code checkpoints/<name>/last/} (one that had finished or stopped trains no
 * further), and one that saves none trains again from the start. Metrics continue in the same files
 * and the log is appended to, so the folder ends as an uninterrupted run's would, bit for bit.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = {"Continue an interrupted run in its run folder, with the script, --set values, seed and plugins"
        + " it was started with; trainers continue from their checkpoints' last/."})
final class ResumeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "The run folder, e.g. runs/quickstart-20261124-135750.")
  Path folder;

  @CommandLine.Mixin
  RegimenCommand.ProgressOption progress = new RegimenCommand.ProgressOption();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path root = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw usage("No such run folder: " + folder);
    }
    RunSettings settings;
    try {
      settings = RunSettings.read(root);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (RunSettings.FINISHED.equals(settings.status())) {
      throw usage("The run in " + root + " finished; there is nothing to resume (regimen run " + settings.script()
          + " starts a new one)");
    }
    if (!Files.isRegularFile(settings.script())) {
      throw usage("The script of the run in " + root + ", " + settings.script() + ", no longer exists");
    }
    if (settings.scriptSha256() != null && !settings.scriptSha256().equals(RunSettings.sha256(settings.script()))) {
      throw usage(settings.script() + " changed since the run in " + root + " started; a resumed run replays its"
          + " script, so it needs the script as it was (or start a new run with regimen run)");
    }
    spec.commandLine().getOut().println("Resuming " + root + ": " + settings.commandLine());
    spec.commandLine().getOut().flush();
    return new ScriptRun(spec.commandLine(), progress.shown()).resume(root, settings);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
