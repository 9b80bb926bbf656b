package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Conv2dTest extends LayerContract {
  Conv2dTest() {
    super(new Conv2d.Factory(), Map.of("filters", 2, "kernel_size", 3, "padding", 1, "stride", List.of(1, 2)), 2, 5, 5);
  }

  @Override
  protected int batchSize() {
    return 2;
  }

  @ParameterizedTest(name = "in {0}, kernel {1}, stride {2}, padding {3}, dilation {4} -> {5}")
  @CsvSource({
      "7, 3, 1, 0, 1, 5",
      "7, 3, 2, 1, 1, 4",
      "8, 3, 2, 1, 1, 4",
      "7, 3, 1, 0, 2, 3",
      "5, 1, 1, 0, 1, 5",
      "6, 2, 2, 0, 1, 3",
      "9, 3, 3, 1, 2, 3",
      "4, 4, 3, 0, 1, 1"})
  void outputSizeIsFloorOfInPlusTwoPadMinusDilatedKernelOverStridePlusOne(
      int in, int kernel, int stride, int padding, int dilation, int expected) {
    assertEquals(expected, (in + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1, "the formula itself");
    Layer conv = LayerFactories.create("conv2d", Map.of("filters", 3, "kernel_size", kernel, "stride", stride,
        "padding", padding, "dilation", dilation));
    long[] shape = {2, in, in};
    assertArrayEquals(new long[] {3, expected, expected}, conv.outputShape(shape));
    Layers.build(conv, shape, new Rng(1));
    Tensor y = evaluate(conv, Tensor.zeros(1, 2, in, in));
    assertArrayEquals(new long[] {1, 3, expected, expected}, y.shape());
  }

  @Test
  void crossCorrelatesWithoutFlippingTheKernel() {
    Layer conv = Layers.build(LayerFactories.create("conv2d", Map.of("filters", 1, "kernel_size", 2,
        "use_bias", false)), new long[] {1, 3, 3}, new Rng(1));
    // Only the top-left tap is one: each output is the top-left element of its window.
    conv.parameters().get("weight").array().assign(Tensor.of(new float[] {1, 0, 0, 0}, 1, 1, 2, 2).array());
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    assertArrayEquals(new double[] {1, 2, 4, 5}, values(evaluate(conv, x)), 1e-6);
  }

  @Test
  void weightUsesPyTorchLayoutAndIsPenalizedButBiasIsNot() {
    List<Parameter> parameters = Layers.parameters(builtLayer(SEED));
    assertEquals(List.of("conv2d_1.weight", "conv2d_1.bias"), parameters.stream().map(Parameter::name).toList());
    assertArrayEquals(new long[] {2, 2, 3, 3}, parameters.get(0).value().shape(), "[outC, inC, kH, kW]");
    assertTrue(parameters.get(0).weight());
    assertEquals(false, parameters.get(1).weight());
  }

  @Test
  void takesRectangularKernels() {
    Layer conv = LayerFactories.create("conv2d", Map.of("filters", 4, "kernel_size", List.of(1, 3)));
    assertArrayEquals(new long[] {4, 5, 3}, conv.outputShape(new long[] {2, 5, 5}));
  }

  @Test
  void rejectsThreeKernelSizesEchoingThem() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("conv2d", Map.of("filters", 1, "kernel_size", List.of(1, 2, 3))));
    assertTrue(e.getMessage().contains("Received: kernel_size=[1, 2, 3]"), e.getMessage());
  }

  @Test
  void rejectsAZeroStrideEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("conv2d", Map.of("filters", 1, "kernel_size", 3, "stride", 0)));
    assertTrue(e.getMessage().contains("Received: stride=0"), e.getMessage());
  }

  @Test
  void aKernelLargerThanThePaddedInputIsRefusedNamingTheShape() {
    Layer conv = LayerFactories.create("conv2d", Map.of("filters", 1, "kernel_size", 4, "stride", 3));
    ShapeException e = assertThrows(ShapeException.class, () -> conv.outputShape(new long[] {1, 2, 2}));
    assertTrue(e.getMessage().contains("[1, 2, 2]") && e.getMessage().contains("4x4"), e.getMessage());
  }
}
