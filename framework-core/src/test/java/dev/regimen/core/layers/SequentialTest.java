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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new Sequential.Factory();
  }

  /** A container rebuilds its children from the config too. */
  @Override
  protected Layer recreate(LayerConfig config) {
    return LayerFactories.fromConfig(config);
  }

  @Override
  protected Layer newLayer() {
    return Sequential.of(dense(4), LayerFactories.create("tanh"), dense(2));
  }

  @Override
  protected long[] inputShape() {
    return new long[] {3};
  }

  private static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  @Test
  void chainsItsLayersAndNamesTheirParametersModelWide() {
    Layer model = builtLayer(SEED);
    assertEquals(List.of("dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"),
        Layers.parameters(model).stream().map(Parameter::name).toList());
    assertArrayEquals(new long[] {2}, model.outputShape(new long[] {3}));

    List<Layer> children = model.children();
    Tensor x = batch(2, SEED + 2);
    Tensor byHand = evaluate(children.get(2), evaluate(children.get(1), evaluate(children.get(0), x)));
    assertSameValues(byHand, evaluate(model, x), "the chain");
  }

  @Test
  void recordsEachChildsOutputAsATapUnderItsName() {
    Layer model = builtLayer(SEED);
    ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
    Tensor y = model.forward(batch(2, SEED + 2), ctx);
    assertEquals(List.of("dense_1", "tanh_1", "dense_2"), List.copyOf(ctx.taps().keySet()));
    assertArrayEquals(new long[] {2, 4}, ctx.taps().get("tanh_1").shape());
    assertSameValues(y, ctx.taps().get("dense_2"), "the last tap is the output");
  }

  @Test
  void eachChildDrawsFromItsOwnStreamSoAddingALayerKeepsTheOthersWeights() {
    Layer small = Layers.build(Sequential.of(dense(4), dense(2)), new long[] {3}, new Rng(5));
    Layer large = Layers.build(Sequential.of(dense(4), dense(2), dense(7)), new long[] {3}, new Rng(5));
    assertSameValues(Layers.parameters(small).get(0).value(), Layers.parameters(large).get(0).value(), "dense_1.weight");
    assertSameValues(Layers.parameters(small).get(2).value(), Layers.parameters(large).get(2).value(), "dense_2.weight");
  }

  @Test
  void aShapeErrorNamesThePositionTheLayerAndTheShape() {
    Layer model = Sequential.of(LayerFactories.create("flatten"), dense(3), LayerFactories.create("global_avgpool"));
    ShapeException e = assertThrows(ShapeException.class, () -> model.outputShape(new long[] {1, 2, 2}));
    assertTrue(e.getMessage().contains("layer 2") && e.getMessage().contains("global_avgpool")
        && e.getMessage().contains("[3]"), e.getMessage());
  }

  @Test
  void isMadeByNameFromAListOfLayers() {
    Layer model = LayerFactories.create("sequential", Map.of("layers", List.of(dense(2), LayerFactories.create("relu"))));
    assertEquals(2, model.children().size());
    LayerConfig config = Layers.build(model, new long[] {3}, new Rng(1)).config();
    assertEquals(List.of("dense", "relu"), config.children().stream().map(LayerConfig::type).toList());
    assertEquals(Map.of(), config.options(), "children live in the config's children, not its options");
  }

  @Test
  void rejectsALayersOptionThatIsNotAListOfLayersNamingTheItem() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("sequential", Map.of("layers", List.of("dense"))));
    assertEquals("Option 'layers' of layer 'sequential' must be a list of layers; item 1 of 1 is 'dense' (a name: "
        + "make the layer with rg.layer('dense')), not a layer", e.getMessage());
    ComponentException notAList = assertThrows(ComponentException.class,
        () -> LayerFactories.create("sequential", Map.of("layers", "dense")));
    assertTrue(notAList.getMessage().contains("Received: layers=dense"), notAList.getMessage());
  }

  @Test
  void rejectsAnEmptyListAndTheSameLayerTwice() {
    assertThrows(ComponentException.class, () -> new Sequential(List.of()));
    Layer shared = dense(3);
    ComponentException e = assertThrows(ComponentException.class, () -> Sequential.of(shared, shared));
    assertTrue(e.getMessage().contains("positions 0 and 1"), e.getMessage());
  }
}
