package dev.regimen.core.cli;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.tensor.NativeBuild;
import dev.regimen.core.plugin.PluginCheck;
import dev.regimen.core.plugin.PluginHost;
import dev.regimen.core.plugin.PluginListing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regimen}: the top-level command and its subcommands. */
@Command(
    name = "regimen",
    mixinStandardHelpOptions = true,
    versionProvider = RegimenCommand.Version.class,
    description = "Train neural networks with pluggable training tricks, driven by JavaScript or Python scripts.",
    subcommands = {
        RunCommand.class,
        ResumeCommand.class,
        SweepCommand.class,
        CompareCommand.class,
        ExportCommand.class,
        RegimenCommand.PluginsCommand.class,
        RegimenCommand.ComponentsCommand.class,
        RegimenCommand.VersionCommand.class,
        CommandLine.HelpCommand.class})
final class RegimenCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: run, resume, sweep, compare, export, plugins, components or version");
  }

  /** The plugins folder option shared by the commands that load plugins. */
  static final class PluginsDirOption {
    @Option(names = "--plugins", paramLabel = "DIR",
        description = "The plugins folder (default: plugins/ of the distribution).")
    Path dir;

    PluginHost load() {
      return dir == null ? PluginHost.load() : PluginHost.load(dir);
    }
  }

  /** The {@code --no-progress} option of the commands that train. */
  static final class ProgressOption {
    @Option(names = "--no-progress", description = "No progress bar (it is shown only on a terminal anyway).")
    boolean off;

    boolean shown() {
      return !off;
    }
  }

  @Command(name = "plugins", mixinStandardHelpOptions = true,
      description = {"List the installed plugins (id, version, state, components) and any that failed, with why.",
          "With --check JAR...: validate plugin jars before dropping them in (manifest, Plugin-Class, extensions,"
              + " component names and options, a forward pass of each layer); exit 1 if anything is wrong."})
  static final class PluginsCommand implements Callable<Integer> {
    @CommandLine.Mixin
    PluginsDirOption plugins = new PluginsDirOption();

    @Option(names = "--check", paramLabel = "JAR", arity = "1..*",
        description = "Check these plugin jars, each beside the installed plugins (which are left as they are).")
    List<Path> check;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (check != null) {
        return check(check);
      }
      try (PluginHost host = plugins.load()) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Plugins in " + host.pluginsDir().toAbsolutePath().normalize());
        out.print(PluginListing.pluginsTable(host));
        out.flush();
        return 0;
      }
    }

    /** Checks each jar and prints its report; 0 if all pass, 1 if any has an error. */
    private int check(List<Path> jars) {
      for (Path jar : jars) {
        if (!Files.isRegularFile(jar)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "No such plugin file: " + jar);
        }
      }
      Path installed = plugins.dir != null ? plugins.dir : PluginHost.defaultPluginsDir();
      PrintWriter out = spec.commandLine().getOut();
      boolean passed = true;
      for (Path jar : jars) {
        PluginCheck.Report report = PluginCheck.check(jar, installed);
        out.print(report.render());
        out.flush();
        passed &= report.passed();
      }
      return passed ? 0 : 1;
    }
  }

  @Command(name = "components", mixinStandardHelpOptions = true,
      description = "List every component (kind, name, description, options), built in or from plugins.")
  static final class ComponentsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "KIND",
        description = "Only this kind: layer, objective, optimizer, regularizer, augmenter, scheduler, metric, initializer.")
    String kind;

    @CommandLine.Mixin
    PluginsDirOption plugins = new PluginsDirOption();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ComponentKind parsed;
      try {
        parsed = kind == null ? null : ComponentKind.parse(kind);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      try (PluginHost host = plugins.load()) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(PluginListing.componentsTable(host, parsed));
        out.flush();
        return 0;
      }
    }
  }

  @Command(name = "version", mixinStandardHelpOptions = true,
      description = "Print the Regimen and Java versions, the distributed engines installed (the Spark add-on), the"
          + " ND4J backend, the libnd4j build and the BLAS in use.")
  static final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      for (String line : new Version().getVersion()) {
        spec.commandLine().getOut().println(line);
      }
      for (String line : NativeBuild.describe()) {
        spec.commandLine().getOut().println(line);
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** The version lines for {@code regimen version} and {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      java.util.List<dev.regimen.core.distributed.DistributedEngine> engines =
          dev.regimen.core.distributed.DistributedEngines.installed();
      String distributed = engines.isEmpty()
          ? "distributed: no engine installed (for Spark, " + dev.regimen.core.distributed.DistributedEngines.SPARK_ADD_ON
              + ")"
          : "distributed: " + String.join(", ", engines.stream().map(e -> e.name() + " (" + e.describe() + ")")
              .toList());
      return new String[] {
          "regimen " + PluginHost.frameworkVersion(),
          "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
              + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")",
          distributed};
    }
  }
}
