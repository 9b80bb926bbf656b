package dev.regimen.core.export;

import dev.regimen.api.export.InputMajorWeight;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.plugin.PluginHost;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code regimen export --format safetensors}: a trained model's weights for PyTorch, without the
 * optimizer's arrays that a checkpoint's {@code weights.safetensors} also holds. Every parameter and
 * buffer under its model-wide name ({@code dense_1.weight}, {@code batchnorm_1.running_mean}), in
 * float32, in PyTorch's layouts: the {@code weight} of an {@link InputMajorWeight} layer (dense, stored
 * {@code [in, out]} here) transposed to {@code nn.Linear}'s {@code [out, in]}, everything else as it is
 * (convolution weights are already {@code [outC, inC, kH, kW]}). A fitted normalizer is written as
 * {@code normalizer.shift} and {@code normalizer.scale}, broadcastable to a batch: the model takes
 * {@code (x - shift) / scale}. {@code safetensors.torch.load_file} reads the file.
 */
public final class SafetensorsExport {
  private SafetensorsExport() {}

  /** The arrays the file holds, by name, in model order (see the class comment). */
  public static Map<String, INDArray> tensors(TrainedModel trained) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Layer layer : Layers.all(trained.model())) {
      for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
        INDArray value = p.getValue().array();
        boolean transpose = layer instanceof InputMajorWeight && p.getKey().equals("weight") && value.rank() == 2;
        out.put(layer.name() + "." + p.getKey(), float32(transpose ? value.transpose() : value));
      }
      layer.buffers().forEach((local, t) -> out.put(layer.name() + "." + local, float32(t.array())));
    }
    if (trained.normalizer() != null) {
      out.put("normalizer.shift", float32(trained.normalizer().shift()));
      out.put("normalizer.scale", float32(trained.normalizer().scale()));
    }
    return out;
  }

  /** Writes the file atomically, with metadata naming the layout, the input shape and the normalizer. */
  public static void write(TrainedModel trained, Path file) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("regimen.version", PluginHost.frameworkVersion());
    metadata.put("regimen.layout", "dense weights [out, in] as torch.nn.Linear; conv weights [outC, inC, kH, kW]");
    metadata.put("regimen.input_shape", Arrays.toString(trained.inputShape()));
    metadata.put("regimen.normalizer", trained.normalizer() == null ? "none"
        : trained.normalizer().kind() + ": (x - normalizer.shift) / normalizer.scale");
    metadata.put("regimen.checkpoint", trained.checkpoint().toString());
    Safetensors.write(file, tensors(trained), metadata);
  }

  private static INDArray float32(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c');
  }
}
