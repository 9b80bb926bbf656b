package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A schedule moves a noise layer's strength while training runs ({@link Adjustable}): after {@code
 * adjust}, every layer of this plugin draws and scales exactly as a layer made with that strength,
 * the constants it derives from the rate (alpha dropout's affine map, the inverted scale) included.
 */
class AdjustedStrengthTest {

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of(new Dropout.Factory(), "rate", new long[] {6}),
        Arguments.of(new GaussianDropout.Factory(), "rate", new long[] {6}),
        Arguments.of(new ScaledDropout.Factory(), "rate", new long[] {6}),
        Arguments.of(new SpatialDropout.Factory(), "rate", new long[] {4, 3, 3}),
        Arguments.of(new Uout.Factory(), "beta", new long[] {6}),
        Arguments.of(new AlphaDropout.Factory(), "rate", new long[] {6}),
        Arguments.of(new DropPath.Factory(), "rate", new long[] {6}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void anAdjustedStrengthActsAsOneSetAtCreation(ComponentFactory<Layer> factory, String option, long[] shape) {
    Layer adjusted = Layers.build(factory.create(Map.of(option, 0.1)), shape, new Rng(1));
    Layer made = Layers.build(factory.create(Map.of(option, 0.4)), shape, new Rng(1));
    Adjustable adjustable = (Adjustable) adjusted;
    assertEquals(Set.of(option), adjustable.adjustableOptions());

    long[] batchShape = new long[shape.length + 1];
    batchShape[0] = 16;
    System.arraycopy(shape, 0, batchShape, 1, shape.length);
    Tensor x = Tensor.of(new Rng(3).normal(DataType.DOUBLE, 0, 1, batchShape));
    double[] before = sample(adjusted, x);

    adjustable.adjust(option, 0.4);
    assertEquals(0.4, adjustable.option(option));
    double[] after = sample(adjusted, x);
    assertArrayEquals(sample(made, x), after, 0, "after adjust(" + option + ", 0.4)");
    assertFalse(Arrays.equals(before, after), "the adjustment changes the output");
  }

  private static double[] sample(Layer layer, Tensor x) {
    return layer.forward(x, ForwardContext.training(new Rng(7))).array().dup().data().asDouble();
  }
}
