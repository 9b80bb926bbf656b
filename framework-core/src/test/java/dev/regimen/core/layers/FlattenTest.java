package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlattenTest extends LayerContract {
  FlattenTest() {
    super(new Flatten.Factory(), Map.of(), 2, 3, 2);
  }

  @Test
  void keepsRowMajorOrderAndTheBatchAxis() {
    Layer flatten = Layers.build(LayerFactories.create("flatten"), new long[] {2, 2}, new Rng(1));
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    Tensor y = evaluate(flatten, x);
    assertArrayEquals(new long[] {2, 4}, y.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, values(y), 0);
  }
}
