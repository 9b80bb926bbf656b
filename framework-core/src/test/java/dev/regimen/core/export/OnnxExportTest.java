package dev.regimen.core.export;

import static dev.regimen.core.export.ExportFixtures.digits;
import static dev.regimen.core.export.ExportFixtures.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.layers.MultiHead;
import dev.regimen.core.layers.Residual;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.proto.ProtoReader;
import dev.regimen.core.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every built-in layer's ONNX form runs in onnxruntime with Regimen's outputs, and so do trained models. */
class OnnxExportTest {
  @TempDir Path dir;

  static Stream<Arguments> builtInLayers() {
    long[] features = {6};
    long[] image = {3, 7, 7};
    return Stream.of(
        Arguments.of("dense", layer("dense", "units", 4), features),
        Arguments.of("dense without bias", layer("dense", "units", 4, "use_bias", false), features),
        Arguments.of("relu", layer("relu"), features),
        Arguments.of("leaky_relu", layer("leaky_relu", "alpha", 0.2), features),
        Arguments.of("elu", layer("elu", "alpha", 0.7), features),
        Arguments.of("selu", layer("selu"), features),
        Arguments.of("gelu", layer("gelu"), features),
        Arguments.of("sigmoid", layer("sigmoid"), features),
        Arguments.of("tanh", layer("tanh"), features),
        Arguments.of("softmax", layer("softmax"), features),
        Arguments.of("softmax over channels", layer("softmax", "axis", 1), image),
        Arguments.of("conv2d", layer("conv2d", "filters", 4, "kernel_size", 3, "padding", 1), image),
        Arguments.of("conv2d strided, dilated, no bias", layer("conv2d", "filters", 2, "kernel_size", List.of(2, 3),
            "stride", 2, "dilation", List.of(1, 2), "use_bias", false), image),
        Arguments.of("maxpool2d", layer("maxpool2d"), image),
        Arguments.of("maxpool2d padded", layer("maxpool2d", "pool_size", 3, "stride", 2, "padding", 1), image),
        Arguments.of("avgpool2d padded", layer("avgpool2d", "pool_size", 3, "stride", 2, "padding", 1), image),
        Arguments.of("avgpool2d counting padding", layer("avgpool2d", "pool_size", 3, "stride", 2, "padding", 1,
            "count_padding", true), image),
        Arguments.of("global_avgpool", layer("global_avgpool"), image),
        Arguments.of("flatten", layer("flatten"), image),
        Arguments.of("reshape", layer("reshape", "target_shape", List.of(7, -1)), image),
        Arguments.of("residual", new Residual(Sequential.of(layer("dense", "units", 6), layer("tanh"))), features),
        Arguments.of("multi_head", new MultiHead(Sequential.of(layer("dense", "units", 5), layer("relu")),
            new LinkedHashMap<>(Map.of("a", layer("dense", "units", 2)))), features),
        Arguments.of("sequential", Sequential.of(layer("conv2d", "filters", 2, "kernel_size", 3),
            layer("global_avgpool"), layer("dense", "units", 3), layer("softmax")), image));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInLayers")
  void everyBuiltInLayerRunsInOnnxruntimeWithRegimensOutputs(String what, Layer layer, long[] shape) {
    OnnxRuntimeCheck.assertSameOutputs(layer, shape, 5, 11);
  }

  @Test
  void multiHeadConcatenatesItsHeads() {
    Map<String, Layer> heads = new LinkedHashMap<>();
    heads.put("digit", layer("dense", "units", 3));
    heads.put("parity", Sequential.of(layer("dense", "units", 2), layer("sigmoid")));
    INDArray out = OnnxRuntimeCheck.assertSameOutputs(new MultiHead(layer("dense", "units", 4), heads),
        new long[] {5}, 3, 2);
    assertEquals(5, out.size(1));
  }

  /** Trains {@code model} for 2 epochs on zscored digits with checkpoints, then loads the saved checkpoint. */
  private TrainedModel trainAndLoad(Layer model, Dataset raw) {
    ExportFixtures.train(model, raw, dir.resolve("checkpoints"));
    return ExportFixtures.load(dir);
  }

  @Test
  void aTrainedMlpTakesRawFeaturesWithItsNormalizerInside() throws Exception {
    Dataset raw = digits();
    TrainedModel trained = trainAndLoad(Sequential.of(layer("dense", "units", 32), layer("relu"),
        layer("dense", "units", 10), layer("softmax")), raw);
    assertEquals(dir.resolve("checkpoints").resolve(Trainer.BEST), trained.checkpoint());
    assertEquals(List.of(64L), Arrays.stream(trained.inputShape()).boxed().toList());

    Path file = dir.resolve("mlp.onnx");
    OnnxExport.write(trained, file);
    INDArray features = raw.features().array();
    INDArray expected = trained.predict(features);
    OnnxRuntimeCheck.assertClose(expected, OnnxRuntimeCheck.run(Files.readAllBytes(file), features),
        "the trained MLP on 600 digits");
    int[] labels = raw.labels();
    long right = IntStream.range(0, labels.length).filter(i -> expected.getRow(i).argMax().getInt(0) == labels[i])
        .count();
    assertTrue(right > 400, "it learned something, so the outputs compared are not near-constant: " + right);
  }

  @Test
  void aTrainedCnnRunsWithTheSameOutputs() throws Exception {
    Dataset raw = digits().reshape(1, 8, 8);
    TrainedModel trained = trainAndLoad(Sequential.of(layer("conv2d", "filters", 6, "kernel_size", 3, "padding", 1),
        layer("relu"), layer("maxpool2d"), layer("conv2d", "filters", 8, "kernel_size", 3), layer("relu"),
        layer("flatten"), layer("dense", "units", 10)), raw);
    assertEquals(List.of(1L, 8L, 8L), Arrays.stream(trained.inputShape()).boxed().toList());
    INDArray features = raw.features().array();
    OnnxRuntimeCheck.assertClose(trained.predict(features),
        OnnxRuntimeCheck.run(OnnxExport.toBytes(trained), features), "the trained CNN on 600 digits");
  }

  @Test
  void theModelDeclaresItsOpsetInputOutputAndMetadata() {
    Layer model = Sequential.of(layer("dense", "units", 3));
    Layers.build(model, new long[] {4}, new Rng(1));
    ProtoReader onnx = new ProtoReader(OnnxExport.toBytes(model, new long[] {4}, null, Map.of("k", "v")));
    assertEquals(OnnxWriter.IR_VERSION, onnx.varint(1));
    assertEquals("regimen", onnx.string(2));
    assertEquals(OnnxWriter.OPSET, onnx.message(8).varint(2));
    ProtoReader graph = onnx.message(7);
    ProtoReader input = graph.message(11);
    assertEquals("input", input.string(1));
    List<ProtoReader> dims = input.message(2).message(1).message(2).messages(1);
    assertEquals("N", dims.get(0).string(2));
    assertEquals(4L, dims.get(1).varint(1));
    assertEquals("output", graph.message(12).string(1));
    assertEquals(List.of("Gemm", "Identity"), graph.messages(1).stream().map(n -> n.string(4)).toList());
    Map<String, String> metadata = new LinkedHashMap<>();
    onnx.messages(14).forEach(m -> metadata.put(m.string(1), m.string(2)));
    assertEquals(Map.of("k", "v", "regimen.input_shape", "[4]", "regimen.normalizer", "none"), metadata);
  }

  /** A layer of someone else's that has no ONNX form. */
  private static final class Opaque extends AbstractLayer {
    Opaque() {
      super("acme.opaque", Options.defaults("acme.opaque", List.of()));
    }

    @Override
    public long[] outputShape(long[] inputShape) {
      return inputShape.clone();
    }

    @Override
    protected Tensor call(Tensor input, ForwardContext ctx) {
      return input;
    }
  }

  @Test
  void aLayerWithoutAnOnnxFormIsNamed() {
    Layer model = Sequential.of(layer("dense", "units", 3), new Opaque());
    Layers.build(model, new long[] {4}, new Rng(1));
    ExportException e = assertThrows(ExportException.class,
        () -> OnnxExport.toBytes(model, new long[] {4}, null, Map.of()));
    assertTrue(e.getMessage().startsWith("layer 'acme_opaque_1' (acme.opaque) has no ONNX form: its class "
        + Opaque.class.getName() + " does not implement dev.regimen.api.export.OnnxLayer"), e.getMessage());
  }
}
