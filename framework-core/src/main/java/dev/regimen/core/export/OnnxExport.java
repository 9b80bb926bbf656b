package dev.regimen.core.export;

import dev.regimen.api.nn.Layer;
import dev.regimen.core.checkpoint.AtomicFiles;
import dev.regimen.core.data.Normalizer;
import dev.regimen.core.plugin.PluginHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code regimen export --format onnx}: a trained model as one ONNX graph that takes the raw features
 * ({@code input}, {@code [N, ...inputShape]}, float32) and gives what Regimen's evaluation mode gives
 * ({@code output}). The data normalizer comes first ({@code Sub} its shift, {@code Div} by its scale,
 * broadcast per feature or per channel), then every layer's {@link dev.regimen.api.export.OnnxLayer}
 * form; a layer without one stops the export with an error that names it. The weights are initializers,
 * so the file is self-contained; metadata records the checkpoint, the input shape and the normalizer.
 */
public final class OnnxExport {
  /** The graph's input and output names. */
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";

  private OnnxExport() {}

  /** The ONNX model of a trained model, as bytes; its metadata names the checkpoint. */
  public static byte[] toBytes(TrainedModel trained) {
    return toBytes(trained.model(), trained.inputShape(), trained.normalizer(),
        Map.of("regimen.checkpoint", trained.checkpoint().toString()));
  }

  /**
   * The ONNX model of a built model, as bytes.
   *
   * @param model a built model (its weights are read as they are now)
   * @param inputShape the per-sample input shape it was built for
   * @param normalizer the fitted normalizer of its raw features, or null
   * @param metadata strings added to the model's metadata
   * @throws ExportException if a layer has no ONNX form, naming it
   */
  public static byte[] toBytes(Layer model, long[] inputShape, Normalizer normalizer, Map<String, String> metadata) {
    OnnxWriter graph = new OnnxWriter();
    String x = graph.reserve(INPUT);
    if (normalizer != null) {
      x = graph.node("Sub", x, graph.constant("normalizer.shift", normalizer.shift()));
      x = graph.node("Div", x, graph.constant("normalizer.scale", normalizer.scale()));
    }
    x = graph.layer(model, x, inputShape);
    String output = graph.output(OUTPUT, x);
    Map<String, String> all = new LinkedHashMap<>(metadata);
    all.put("regimen.input_shape", Arrays.toString(inputShape));
    all.put("regimen.normalizer", normalizer == null ? "none" : normalizer.kind());
    return graph.model(model.name() == null ? model.type() : model.name(), INPUT, inputShape, output,
        model.outputShape(inputShape), PluginHost.frameworkVersion(),
        "A Regimen model: raw features in (the normalizer included), evaluation-mode outputs out", all);
  }

  /** Writes the ONNX model to {@code file}, atomically. */
  public static void write(TrainedModel trained, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(trained));
  }
}
