package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.Inputs;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer contract for an element-wise activation, plus its formula at hand-computed points: a
 * subclass names the factory, its options and the points, and nothing else. Inputs keep away from
 * zero, where the derivative of relu, leaky relu and elu jumps.
 */
abstract class ActivationContract extends LayerContract {
  private final ComponentFactory<Layer> factory;
  private final Map<String, ?> options;
  private final double[][] examples;

  /** {@code examples} are {x, f(x)} pairs, computed independently of Regimen (float64 reference values). */
  ActivationContract(ComponentFactory<Layer> factory, Map<String, ?> options, double[]... examples) {
    this.factory = factory;
    this.options = options;
    this.examples = examples;
  }

  @Override
  protected final ComponentFactory<Layer> factory() {
    return factory;
  }

  @Override
  protected final Map<String, ?> options() {
    return options;
  }

  @Override
  protected final long[] inputShape() {
    return new long[] {2, 3};
  }

  @Override
  protected final INDArray input(long[] batchShape, Rng rng) {
    return Inputs.awayFromZero(Tensor.defaultType(), 0.05, rng, batchShape);
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void computesItsFormulaAtHandComputedPoints() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer layer = Layers.build(factory.create(options), new long[] {1}, new Rng(1));
      for (double[] example : examples) {
        double y = evaluate(layer, Tensor.of(new double[] {example[0]}, 1, 1)).item();
        assertEquals(example[1], y, 1e-9, factory.name() + "(" + example[0] + ")");
      }
    }
  }
}
