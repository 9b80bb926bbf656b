package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.Inputs;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class MaxPool2dTest extends LayerContract {
  MaxPool2dTest() {
    super(new MaxPool2d.Factory(), Map.of("pool_size", 3, "stride", 2, "padding", 1), 2, 5, 5);
  }

  /** Distinct values, so that no window's maximum is a tie that a finite-difference step could flip. */
  @Override
  protected INDArray input(long[] batchShape, Rng rng) {
    return Inputs.distinct(Tensor.defaultType(), rng, batchShape);
  }

  @Test
  void takesTheMaximumOfEachWindowWithStrideDefaultingToThePoolSize() {
    Layer pool = Layers.build(LayerFactories.create("maxpool2d"), new long[] {1, 4, 4}, new Rng(1));
    Tensor x = Tensor.of(new float[] {
        1, 2, 5, 0,
        3, 4, 1, 1,
        -1, -2, 7, 8,
        -3, -4, 9, 6}, 1, 1, 4, 4);
    assertArrayEquals(new long[] {1, 2, 2}, pool.outputShape(new long[] {1, 4, 4}));
    assertArrayEquals(new double[] {4, 5, -1, 9}, values(evaluate(pool, x)), 1e-6);
  }

  @Test
  void rejectsPaddingAboveHalfTheWindowEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("maxpool2d", Map.of("pool_size", 2, "padding", 2)));
    assertTrue(e.getMessage().contains("Received: padding=[2, 2], pool_size=[2, 2]"), e.getMessage());
  }
}
