package dev.regimen.core.export;

import static dev.regimen.core.export.ExportFixtures.digits;
import static dev.regimen.core.export.ExportFixtures.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.checkpoint.Safetensors;
import dev.regimen.core.layers.Sequential;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SafetensorsExportTest {
  @TempDir Path dir;

  @Test
  void writesTheWeightsInPyTorchsLayoutsWithoutTheOptimizer() {
    Layer model = Sequential.of(layer("conv2d", "filters", 3, "kernel_size", 3), layer("relu"), layer("flatten"),
        layer("dense", "units", 10));
    ExportFixtures.train(model, digits().reshape(1, 8, 8), dir.resolve("checkpoints"));
    TrainedModel trained = ExportFixtures.load(dir);
    Path file = dir.resolve("model.safetensors");
    SafetensorsExport.write(trained, file);

    Map<String, INDArray> saved = Safetensors.read(file);
    assertEquals(Set.of("conv2d_1.weight", "conv2d_1.bias", "dense_1.weight", "dense_1.bias", "normalizer.shift",
        "normalizer.scale"), saved.keySet());
    assertTrue(Safetensors.read(trained.checkpoint().resolve(CheckpointStore.WEIGHTS_FILE)).keySet().stream()
        .anyMatch(k -> k.startsWith(CheckpointStore.OPTIMIZER_PREFIX)), "the checkpoint itself holds Adam's slots");

    Layer dense = Layers.find(trained.model(), "dense_1");
    INDArray w = dense.parameters().get("weight").array();
    assertArrayEquals(new long[] {108, 10}, w.shape(), "Regimen keeps x W, [in, out]");
    assertArrayEquals(new long[] {10, 108}, saved.get("dense_1.weight").shape(), "nn.Linear's [out, in]");
    assertEquals(w.transpose(), saved.get("dense_1.weight"));
    assertEquals(Layers.find(trained.model(), "conv2d_1").parameters().get("weight").array(),
        saved.get("conv2d_1.weight"), "conv weights are already [outC, inC, kH, kW]");
    assertEquals(DataType.FLOAT, saved.get("dense_1.bias").dataType());
    assertEquals(trained.normalizer().shift(), saved.get("normalizer.shift"));

    Map<String, String> metadata = Safetensors.readMetadata(file);
    assertEquals("pt", metadata.get("format"));
    assertEquals("[1, 8, 8]", metadata.get("regimen.input_shape"));
    assertEquals("zscore: (x - normalizer.shift) / normalizer.scale", metadata.get("regimen.normalizer"));
  }
}
