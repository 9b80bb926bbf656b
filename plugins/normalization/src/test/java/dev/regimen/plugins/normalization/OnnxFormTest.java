package dev.regimen.plugins.normalization;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.export.OnnxRuntimeCheck;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer of the plugin exported to ONNX runs in onnxruntime with its own evaluation-mode outputs:
 * batch norm with its running statistics, the per-sample norms as they compute in either mode. Weights
 * and running statistics are randomized first, so the ones and zeros a layer starts with prove nothing.
 */
class OnnxFormTest {
  static Stream<Arguments> layers() {
    long[] features = {6};
    long[] image = {4, 3, 5};
    return Stream.of(
        Arguments.of(new BatchNorm.Factory(), Map.of(), features),
        Arguments.of(new BatchNorm.Factory(), Map.of("epsilon", 0.01), image),
        Arguments.of(new BatchNorm.Factory(), Map.of("affine", false), image),
        Arguments.of(new BatchNorm.GhostFactory(), Map.of("virtual_batch_size", 2), image),
        Arguments.of(new LayerNorm.Factory(), Map.of(), features),
        Arguments.of(new LayerNorm.Factory(), Map.of(), image),
        Arguments.of(new LayerNorm.Factory(), Map.of("normalized_dims", 1, "affine", false), image),
        Arguments.of(new InstanceNorm.Factory(), Map.of(), image),
        Arguments.of(new InstanceNorm.Factory(), Map.of("affine", false), new long[] {3, 7}),
        Arguments.of(new GroupNorm.Factory(), Map.of("groups", 2), image),
        Arguments.of(new GroupNorm.Factory(), Map.of("groups", 1, "epsilon", 0.1), image),
        Arguments.of(new GroupNorm.Factory(), Map.of("groups", 3, "affine", false), features),
        Arguments.of(new WeightStandardization.Factory(), Map.of("filters", 3, "kernel_size", 2, "padding", 1), image),
        Arguments.of(new WeightStandardization.Factory(), Map.of("filters", 2, "kernel_size", List.of(2, 3),
            "stride", 2, "use_bias", false), image));
  }

  @ParameterizedTest(name = "{0} {1} on {2}")
  @MethodSource("layers")
  void runsInOnnxruntimeWithItsEvaluationOutputs(ComponentFactory<Layer> factory, Map<String, ?> options,
      long[] shape) {
    Layer layer = factory.create(options);
    Layers.build(layer, shape, new Rng(4));
    OnnxRuntimeCheck.randomize(layer, 5);
    OnnxRuntimeCheck.assertSameOutputs(layer, shape, 5, 6);
  }
}
