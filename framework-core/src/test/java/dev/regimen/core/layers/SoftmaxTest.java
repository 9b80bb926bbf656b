package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftmaxTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new Softmax.Factory();
  }

  /** Over the channels of [C, H, W] input, to exercise an axis other than the last. */
  @Override
  protected Map<String, ?> options() {
    return Map.of("axis", 1);
  }

  @Override
  protected long[] inputShape() {
    return new long[] {3, 2, 2};
  }

  @Test
  void normalizesTheLastAxisByDefault() {
    Layer softmax = Layers.build(LayerFactories.create("softmax"), new long[] {3}, new Rng(1));
    Tensor y = evaluate(softmax, Tensor.of(new float[] {0, (float) Math.log(2), (float) Math.log(5), 1, 1, 1}, 2, 3));
    assertArrayEquals(new double[] {0.125, 0.25, 0.625, 1 / 3.0, 1 / 3.0, 1 / 3.0}, values(y), 1e-6);
  }

  @Test
  void rejectsTheBatchAxisEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("softmax", Map.of("axis", 0)));
    assertTrue(e.getMessage().contains("Received: axis=0"), e.getMessage());
  }

  @Test
  void refusesAnAxisBeyondTheInputNamingIt() {
    Layer softmax = LayerFactories.create("softmax", Map.of("axis", 3));
    ShapeException e = assertThrows(ShapeException.class, () -> softmax.outputShape(new long[] {4}));
    assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("[N, 4]"), e.getMessage());
  }
}
