package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiHeadTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new MultiHead.Factory();
  }

  /** A container rebuilds its children from the config too. */
  @Override
  protected Layer recreate(LayerConfig config) {
    return LayerFactories.fromConfig(config);
  }

  @Override
  protected Layer newLayer() {
    Map<String, Layer> heads = new LinkedHashMap<>();
    heads.put("digit", dense(3));
    heads.put("ink", Sequential.of(dense(2), LayerFactories.create("tanh")));
    return new MultiHead(Sequential.of(dense(5), LayerFactories.create("tanh")), heads);
  }

  @Override
  protected long[] inputShape() {
    return new long[] {4};
  }

  private static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  @Test
  void concatenatesEachHeadsOutputOnTheTrunksOutputInHeadOrder() {
    MultiHead layer = (MultiHead) builtLayer(SEED);
    Tensor x = batch(2, SEED + 2);
    Tensor shared = evaluate(layer.trunk(), x);
    Tensor digit = evaluate(layer.head("digit"), shared);
    Tensor ink = evaluate(layer.head("ink"), shared);
    Tensor y = evaluate(layer, x);
    assertArrayEquals(new long[] {2, 5}, y.shape());
    assertSameValues(digit, y.slice(1, 0, 3), "digit columns");
    assertSameValues(ink, y.slice(1, 3, 5), "ink columns");
  }

  @Test
  void headSlicesGiveEachHeadsColumns() {
    MultiHead layer = (MultiHead) newLayer();
    assertEquals(Map.of("digit", new MultiHead.Slice(0, 3), "ink", new MultiHead.Slice(3, 5)),
        layer.headSlices(new long[] {4}));
    IllegalStateException e = assertThrows(IllegalStateException.class, layer::headSlices);
    assertTrue(e.getMessage().contains("not built"), e.getMessage());
    Layers.build(layer, new long[] {4}, new Rng(1));
    assertEquals(List.of("digit", "ink"), List.copyOf(layer.headSlices().keySet()));
    assertEquals(new MultiHead.Slice(3, 5), layer.headSlices().get("ink"));
    assertEquals(2, layer.headSlices().get("ink").width());
  }

  @Test
  void headLayersGetStableNamesFromTheirHeads() {
    Layer layer = builtLayer(SEED);
    assertEquals(List.of("multi_head_1", "sequential_1", "dense_1", "tanh_1", "head_digit", "head_ink", "dense_2",
        "tanh_2"), Layers.all(layer).stream().map(Layer::name).toList());
    assertEquals(List.of("dense_1.weight", "dense_1.bias", "head_digit.weight", "head_digit.bias", "dense_2.weight",
        "dense_2.bias"), Layers.parameters(layer).stream().map(Parameter::name).toList());
  }

  @Test
  void aHeadLayerNamedByTheUserKeepsItsName() {
    Layer named = dense(2);
    named.assignName("my_dense");
    MultiHead layer = new MultiHead(dense(3), Map.of("a", named));
    assertEquals("my_dense", layer.head("a").name());
    LayerConfig config = Layers.build(layer, new long[] {4}, new Rng(1)).config();
    assertEquals(List.of("a"), config.options().get("heads"));
    MultiHead copy = (MultiHead) LayerFactories.fromConfig(config);
    assertEquals("my_dense", copy.head("a").name());
  }

  @Test
  void roundTripsThroughTheConfigWithTrunkThenHeadsAsChildren() {
    Layer layer = builtLayer(SEED);
    LayerConfig config = layer.config();
    assertEquals(List.of("digit", "ink"), config.options().get("heads"));
    assertEquals(List.of("sequential_1", "head_digit", "head_ink"),
        config.children().stream().map(LayerConfig::name).toList());
    MultiHead copy = (MultiHead) LayerFactories.fromConfig(config);
    assertEquals(config, copy.config());
    assertEquals(List.of("digit", "ink"), copy.headNames());
  }

  @Test
  void aHeadWhoseOutputIsNotAVectorIsRefusedNamingTheHead() {
    Layer image = LayerFactories.create("reshape", Map.of("target_shape", List.of(1, 2, 3)));
    MultiHead layer = new MultiHead(dense(6), Map.of("picture", image));
    ShapeException e = assertThrows(ShapeException.class, () -> layer.outputShape(new long[] {4}));
    assertTrue(e.getMessage().contains("head 'picture'") && e.getMessage().contains("[1, 2, 3]"), e.getMessage());
  }

  @Test
  void aHeadThatDoesNotFitTheTrunkIsReportedWithItsName() {
    Layer conv = LayerFactories.create("conv2d", Map.of("filters", 2, "kernel_size", 3));
    MultiHead layer = new MultiHead(dense(6), Map.of("spatial", conv));
    ShapeException e = assertThrows(ShapeException.class, () -> layer.outputShape(new long[] {4}));
    assertTrue(e.getMessage().contains("head 'spatial'") && e.getMessage().contains("[6]"), e.getMessage());
  }

  @Test
  void refusesNoHeadsBadNamesAndSharedLayerObjects() {
    Layer trunk = dense(3);
    assertThrows(ComponentException.class, () -> new MultiHead(trunk, Map.of()));
    ComponentException bad = assertThrows(ComponentException.class,
        () -> new MultiHead(dense(3), Map.of("two words", dense(2))));
    assertTrue(bad.getMessage().contains("'two words'"), bad.getMessage());
    Layer shared = dense(2);
    Map<String, Layer> heads = new LinkedHashMap<>();
    heads.put("a", shared);
    heads.put("b", shared);
    ComponentException same = assertThrows(ComponentException.class, () -> new MultiHead(dense(3), heads));
    assertTrue(same.getMessage().contains("head 'b'") && same.getMessage().contains("head 'a'"), same.getMessage());
  }

  @Test
  void isMadeByNameWithListsOfLayersAsSequentials() {
    Map<String, Object> heads = new LinkedHashMap<>();
    heads.put("a", dense(2));
    heads.put("b", List.of(dense(1), LayerFactories.create("sigmoid")));
    Layer layer = LayerFactories.create("multi_head", Map.of("trunk", List.of(dense(4), LayerFactories.create("relu")),
        "heads", heads));
    Layers.build(layer, new long[] {3}, new Rng(1));
    assertArrayEquals(new long[] {3}, layer.outputShape(new long[] {3}));
    assertEquals("sequential", ((MultiHead) layer).head("b").type());
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("multi_head", Map.of("trunk", dense(2), "heads", List.of(dense(2)))));
    assertTrue(e.getMessage().contains("Option 'heads'"), e.getMessage());
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void tapsTheTrunkAndEveryHead() {
    Layer layer = builtLayer(SEED);
    ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      layer.forward(batch(2, SEED + 2), ctx);
    }
    assertTrue(ctx.taps().keySet().containsAll(List.of("sequential_1", "head_digit", "head_ink")),
        ctx.taps().keySet().toString());
  }
}
