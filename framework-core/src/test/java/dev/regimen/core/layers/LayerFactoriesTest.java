package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerFactoriesTest {

  @Test
  void listsEveryBuiltInLayerOnceAsALayerFactory() {
    assertEquals(List.of("dense", "conv2d", "maxpool2d", "avgpool2d", "global_avgpool", "flatten", "reshape", "relu",
        "leaky_relu", "elu", "selu", "gelu", "sigmoid", "tanh", "softmax", "sequential", "residual", "multi_head"),
        LayerFactories.names());
    for (ComponentFactory<Layer> factory : LayerFactories.all()) {
      assertEquals(ComponentKind.LAYER, factory.kind(), factory.name());
      assertFalse(factory.description().isBlank(), factory.name());
    }
  }

  @ParameterizedTest(name = "{0} suggests {1}")
  @CsvSource({"dens, dense", "maxpool, maxpool2d", "Conv2D, conv2d", "leakyrelu, leaky_relu", "globalavgpool, global_avgpool"})
  void anUnknownNameSuggestsCloseOnesAndListsAll(String unknown, String suggestion) {
    ComponentException e = assertThrows(ComponentException.class, () -> LayerFactories.create(unknown));
    assertTrue(e.getMessage().contains("Unknown layer '" + unknown + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean " + suggestion), e.getMessage());
    assertTrue(e.getMessage().contains("Known layers: dense, conv2d"), e.getMessage());
  }

  @Test
  void aFarOffNameSuggestsNothing() {
    ComponentException e = assertThrows(ComponentException.class, () -> LayerFactories.create("transformer"));
    assertFalse(e.getMessage().contains("Did you mean"), e.getMessage());
  }

  @Test
  void rebuildsANestedTreeWithItsNamesFromItsConfig() {
    Layer model = Sequential.of(
        LayerFactories.create("conv2d", Map.of("filters", 2, "kernel_size", 3)),
        new Residual(Sequential.of(LayerFactories.create("conv2d", Map.of("filters", 2, "kernel_size", 3,
            "padding", 1)), LayerFactories.create("relu"))),
        LayerFactories.create("global_avgpool"),
        LayerFactories.create("dense", Map.of("units", 3)));
    Layers.build(model, new long[] {1, 6, 6}, new Rng(1));
    LayerConfig config = model.config();

    Layer copy = LayerFactories.fromConfig(config);

    assertEquals(config, copy.config());
    Layers.build(copy, new long[] {1, 6, 6}, new Rng(2));
    assertEquals(Layers.parameters(model).stream().map(Parameter::name).toList(),
        Layers.parameters(copy).stream().map(Parameter::name).toList());
    assertEquals(List.of("conv2d_1.weight", "conv2d_1.bias", "conv2d_2.weight", "conv2d_2.bias", "dense_1.weight",
        "dense_1.bias"), Layers.parameters(copy).stream().map(Parameter::name).toList());
  }
}
