package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalAvgPoolTest extends LayerContract {
  GlobalAvgPoolTest() {
    super(new GlobalAvgPool.Factory(), Map.of(), 3, 2, 4);
  }

  @Test
  void averagesEachChannelOverHeightAndWidth() {
    Layer pool = Layers.build(LayerFactories.create("global_avgpool"), new long[] {2, 2, 2}, new Rng(1));
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, -1, -1, 5, 5}, 1, 2, 2, 2);
    assertArrayEquals(new long[] {1, 2}, evaluate(pool, x).shape());
    assertArrayEquals(new double[] {2.5, 2}, values(evaluate(pool, x)), 1e-6);
  }

  @Test
  void refusesFeatureVectorsNamingTheShape() {
    Layer pool = LayerFactories.create("global_avgpool");
    ShapeException e = assertThrows(ShapeException.class, () -> pool.outputShape(new long[] {8}));
    assertTrue(e.getMessage().contains("[C, H, W]") && e.getMessage().contains("[8]"), e.getMessage());
  }
}
