package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.testing.Inputs;
import dev.regimen.core.testing.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LeakyReluTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new LeakyRelu.Factory();
  }

  @Override
  protected Map<String, ?> options() {
    return Map.of("alpha", 0.1);
  }

  @Override
  protected long[] inputShape() {
    return new long[] {2, 3};
  }

  /** Away from zero, where the derivative may jump. */
  @Override
  protected INDArray input(long[] batchShape, Rng rng) {
    return Inputs.awayFromZero(Tensor.defaultType(), 0.05, rng, batchShape);
  }

  @ParameterizedTest(name = "leaky_relu({0}) = {1}")
  @CsvSource({"-2, -0.2", "-0.5, -0.05", "0, 0", "0.5, 0.5", "3, 3"})
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void computesItsFormula(double x, double expected) {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer layer = Layers.build(factory().create(options()), new long[] {1}, new Rng(1));
      assertEquals(expected, evaluate(layer, Tensor.of(new double[] {x}, 1, 1)).item(), 1e-9);
    }
  }

  @Test
  void rejectsABadAlphaEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("leaky_relu", Map.of("alpha", -1)));
    assertTrue(e.getMessage().contains("Received: alpha=-1"), e.getMessage());
  }
}
