package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvgPool2dTest extends LayerContract {
  AvgPool2dTest() {
    super(new AvgPool2d.Factory(), Map.of("pool_size", List.of(2, 3), "stride", 1, "padding", 1), 2, 4, 4);
  }

  @Test
  void averagesEachWindow() {
    Layer pool = Layers.build(LayerFactories.create("avgpool2d"), new long[] {1, 4, 4}, new Rng(1));
    Tensor x = Tensor.of(new float[] {
        1, 2, 5, 0,
        3, 4, 1, 1,
        -1, -2, 7, 8,
        -3, -4, 9, 6}, 1, 1, 4, 4);
    assertArrayEquals(new double[] {2.5, 1.75, -2.5, 7.5}, values(evaluate(pool, x)), 1e-6);
  }

  @Test
  void paddedZerosCountInTheDivisorOnlyWhenAskedTo() {
    Tensor x = Tensor.of(new float[] {4, 4, 4, 4}, 1, 1, 2, 2);
    Map<String, Object> options = Map.of("pool_size", 3, "stride", 1, "padding", 1);
    Layer realOnly = Layers.build(LayerFactories.create("avgpool2d", options), new long[] {1, 2, 2}, new Rng(1));
    assertArrayEquals(new double[] {4, 4, 4, 4}, values(evaluate(realOnly, x)), 1e-6);

    Map<String, Object> counting = Map.of("pool_size", 3, "stride", 1, "padding", 1, "count_padding", true);
    Layer withPadding = Layers.build(LayerFactories.create("avgpool2d", counting), new long[] {1, 2, 2}, new Rng(1));
    // Each 3x3 window over the padded 4x4 input covers the four real 4s: 16 / 9.
    assertArrayEquals(new double[] {16 / 9.0, 16 / 9.0, 16 / 9.0, 16 / 9.0}, values(evaluate(withPadding, x)), 1e-6);
  }

  @Test
  void rejectsAZeroPoolSizeEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("avgpool2d", Map.of("pool_size", 0)));
    assertTrue(e.getMessage().contains("Received: pool_size=0"), e.getMessage());
  }
}
