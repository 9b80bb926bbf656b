package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.testing.Inputs;
import dev.regimen.core.testing.LayerContract;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SigmoidTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new Sigmoid.Factory();
  }

  @Override
  protected Map<String, ?> options() {
    return Map.of();
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

  @ParameterizedTest(name = "sigmoid({0}) = {1}")
  @CsvSource({"-2, 0.11920292202211755", "0, 0.5", "0.5, 0.6224593312018546", "3, 0.9525741268224334"})
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void computesItsFormula(double x, double expected) {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer layer = Layers.build(factory().create(options()), new long[] {1}, new Rng(1));
      assertEquals(expected, evaluate(layer, Tensor.of(new double[] {x}, 1, 1)).item(), 1e-9);
    }
  }
}
