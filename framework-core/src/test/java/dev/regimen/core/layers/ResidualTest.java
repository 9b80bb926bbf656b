package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
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

class ResidualTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new Residual.Factory();
  }

  /** A container rebuilds its children from the config too. */
  @Override
  protected Layer recreate(LayerConfig config) {
    return LayerFactories.fromConfig(config);
  }

  @Override
  protected Layer newLayer() {
    return new Residual(Sequential.of(dense(3), LayerFactories.create("tanh")));
  }

  @Override
  protected long[] inputShape() {
    return new long[] {3};
  }

  private static Layer dense(int units) {
    return LayerFactories.create("dense", Map.of("units", units));
  }

  @Test
  void addsItsInputToTheBlocksOutput() {
    Residual residual = (Residual) builtLayer(SEED);
    Tensor x = batch(2, SEED + 2);
    Tensor sum = evaluate(residual, x);
    Tensor block = evaluate(residual.block(), x);
    assertArrayEquals(values(x.add(block)), values(sum), 0);
  }

  @Test
  void isTheIdentityWhenTheBlockOutputsZero() {
    Layer residual = Layers.build(new Residual(dense(3)), new long[] {3}, new Rng(1));
    for (Parameter p : Layers.parameters(residual)) {
      p.value().array().assign(0);
    }
    Tensor x = batch(2, SEED + 2);
    assertSameValues(x, evaluate(residual, x), "x + 0");
  }

  @Test
  void refusesABlockThatChangesTheShapeNamingBothShapes() {
    Layer residual = new Residual(dense(2));
    ShapeException e = assertThrows(ShapeException.class, () -> residual.outputShape(new long[] {3}));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]") && e.getMessage().contains("dense"),
        e.getMessage());
  }

  @Test
  void wrapsAListOfLayersInASequential() {
    Layer residual = LayerFactories.create("residual", Map.of("block", List.of(dense(3), LayerFactories.create("relu"))));
    Layers.build(residual, new long[] {3}, new Rng(1));
    assertEquals(List.of("residual_1", "sequential_1", "dense_1", "relu_1"),
        Layers.all(residual).stream().map(Layer::name).toList());
  }
}
