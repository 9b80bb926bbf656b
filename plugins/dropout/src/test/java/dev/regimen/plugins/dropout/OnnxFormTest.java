package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.export.OnnxExport;
import dev.regimen.core.export.OnnxRuntimeCheck;
import dev.regimen.core.proto.ProtoReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer of the plugin exported to ONNX runs in onnxruntime with its own evaluation-mode outputs:
 * the noise layers as the identity (classic dropout as its scale), DropConnect with whole weights.
 */
class OnnxFormTest {
  static Stream<Arguments> layers() {
    long[] features = {6};
    long[] image = {3, 4, 4};
    return Stream.of(
        Arguments.of("dropout", Map.of("rate", 0.3), features, List.of("Identity")),
        Arguments.of("dropout.scaled", Map.of("rate", 0.3), features, List.of("Mul", "Identity")),
        Arguments.of("dropout.scaled", Map.of("rate", 0.0), features, List.of("Identity")),
        Arguments.of("dropout.gaussian", Map.of("rate", 0.3), features, List.of("Identity")),
        Arguments.of("dropout.uout", Map.of("beta", 0.2), features, List.of("Identity")),
        Arguments.of("dropout.spatial", Map.of("rate", 0.3), image, List.of("Identity")),
        Arguments.of("drop_path", Map.of("rate", 0.3), image, List.of("Identity")),
        Arguments.of("dropout.alpha", Map.of("rate", 0.1), features, List.of("Identity")),
        Arguments.of("dropconnect", Map.of("units", 4, "rate", 0.5), features, List.of("Gemm", "Identity")),
        Arguments.of("dropconnect", Map.of("units", 4, "use_bias", false), features, List.of("Gemm", "Identity")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("layers")
  void runsInOnnxruntimeWithItsEvaluationOutputs(String name, Map<String, ?> options, long[] shape, List<String> ops) {
    Layer layer = Components.create(name, options);
    Layers.build(layer, shape, new Rng(4));
    OnnxRuntimeCheck.randomize(layer, 5);
    OnnxRuntimeCheck.assertSameOutputs(layer, shape, 5, 6);
    ProtoReader graph = new ProtoReader(OnnxExport.toBytes(layer, shape, null, Map.of())).message(7);
    assertEquals(ops, graph.messages(1).stream().map(n -> n.string(4)).toList());
  }
}
