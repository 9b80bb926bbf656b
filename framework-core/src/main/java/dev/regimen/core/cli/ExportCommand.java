package dev.regimen.core.cli;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.core.checkpoint.CheckpointState;
import dev.regimen.core.export.OnnxExport;
import dev.regimen.core.export.SafetensorsExport;
import dev.regimen.core.export.TrainedModel;
import dev.regimen.core.plugin.PluginFailure;
import dev.regimen.core.plugin.PluginHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regimen export RUN_FOLDER|CHECKPOINT --format onnx|safetensors --out FILE}: the trained model of
 * a run folder (its training's best checkpoint, else its last) or of a checkpoint folder, as an ONNX
 * graph that takes raw features ({@link OnnxExport}) or as PyTorch-layout weights ({@link
 * SafetensorsExport}). Plugin layers are made through the installed plugins, as in {@code regimen run}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a trained model: ONNX (raw features in, the normalizer included; dropout and batch norm"
        + " in inference form) or safetensors (the weights alone, in PyTorch's layouts).",
        "PATH is a run folder (its training's checkpoints/<training>/best, else last) or a checkpoint folder."})
final class ExportCommand implements Callable<Integer> {
  /** The formats, by name and file extension. */
  enum Format {
    ONNX(".onnx"),
    SAFETENSORS(".safetensors");

    final String extension;

    Format(String extension) {
      this.extension = extension;
    }
  }

  @Parameters(index = "0", paramLabel = "PATH", description = "A run folder or a checkpoint folder.")
  Path path;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "onnx or safetensors (default: from the extension of --out).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write.")
  Path out;

  @Option(names = "--input-shape", paramLabel = "DIMS", split = ",",
      description = "The per-sample input shape, e.g. 64 or 1,28,28 (default: the one the checkpoint records).")
  long[] inputShape;

  @CommandLine.Mixin
  RegimenCommand.PluginsDirOption plugins = new RegimenCommand.PluginsDirOption();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Format chosen = format != null ? format : formatOf(out);
    if (inputShape != null && (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1))) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--input-shape takes positive sizes such as 64 or 1,28,28. Received: " + Arrays.toString(inputShape));
    }
    if (!Files.exists(path)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "No run folder or checkpoint at " + path);
    }
    Path checkpoint = TrainedModel.checkpointOf(path);
    PrintWriter console = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (PluginHost host = plugins.load()) {
      for (PluginFailure failure : host.failures()) {
        err.println("warning: plugin " + failure.file().getFileName() + " was not loaded: " + failure.reason());
      }
      err.flush();
      TrainedModel trained = TrainedModel.load(checkpoint,
          name -> host.registry().factory(ComponentKind.LAYER, name), inputShape);
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (chosen == Format.ONNX) {
        OnnxExport.write(trained, out);
      } else {
        SafetensorsExport.write(trained, out);
      }
      console.println("Exported " + describe(checkpoint, trained.state()) + " as " + chosen.name().toLowerCase(Locale.ROOT)
          + ": " + out.toAbsolutePath().normalize());
      console.println("input [N, " + join(trained.inputShape()) + "] (raw features"
          + (trained.normalizer() == null ? "" : ", " + trained.normalizer().kind() + " normalizer included")
          + "), output [N, " + join(trained.outputShape()) + "]");
      console.flush();
      return 0;
    }
  }

  private Format formatOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (Format f : Format.values()) {
      if (name.endsWith(f.extension)) {
        return f;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Name the format: --format onnx or --format safetensors (--out " + file + " has neither extension)");
  }

  /** {@code checkpoints/train-1/best (epoch 12, val_loss=0.3100)}. */
  private static String describe(Path checkpoint, CheckpointState state) {
    StringBuilder s = new StringBuilder(checkpoint.toString()).append(" (epoch ").append(state.epoch());
    if (!state.history().isEmpty()) {
      Map<String, Double> last = state.history().get(state.history().size() - 1);
      String metric = last.containsKey("val_loss") ? "val_loss" : last.containsKey("loss") ? "loss" : null;
      if (metric != null) {
        s.append(", ").append(metric).append('=').append(String.format(Locale.ROOT, "%.4f", last.get(metric)));
      }
    }
    return s.append(')').toString();
  }

  private static String join(long[] dims) {
    StringBuilder s = new StringBuilder();
    for (long d : dims) {
      s.append(s.length() == 0 ? "" : ", ").append(d);
    }
    return s.toString();
  }
}
