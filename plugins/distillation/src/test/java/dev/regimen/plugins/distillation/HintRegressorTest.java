package dev.regimen.plugins.distillation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The FitNets regressor's kind and shapes follow from the guided and hint shapes. */
class HintRegressorTest {

  @Test
  void twoFeatureVectorsGetADenseRegressor() {
    HintRegressor r = HintRegressor.infer("g", new long[] {32}, "h", new long[] {16}, 1, false, new Rng(1));
    assertFalse(r.isConvolution());
    assertArrayEquals(new long[] {32, 16}, r.parameters().get("regressor.weight").shape());
    assertArrayEquals(new long[] {16}, r.parameters().get("regressor.bias").shape());
    assertArrayEquals(new long[] {5, 16}, r.apply(Tensor.zeros(5, 32)).shape());
  }

  @Test
  void twoMapsOfTheSameSizeGetAOneByOneConvolution() {
    HintRegressor r = HintRegressor.infer("g", new long[] {8, 4, 4}, "h", new long[] {16, 4, 4}, 1, false, new Rng(1));
    assertTrue(r.isConvolution());
    assertArrayEquals(new long[] {16, 8, 1, 1}, r.parameters().get("regressor.weight").shape());
    assertArrayEquals(new long[] {16}, r.parameters().get("regressor.bias").shape());
    assertArrayEquals(new long[] {2, 16, 4, 4}, r.apply(Tensor.zeros(2, 8, 4, 4)).shape());
  }

  @Test
  void aThreeByThreeKernelIsPaddedToKeepTheSize() {
    HintRegressor r = HintRegressor.infer("g", new long[] {8, 5, 3}, "h", new long[] {2, 5, 3}, 3, true, new Rng(1));
    assertArrayEquals(new long[] {2, 8, 3, 3}, r.parameters().get("regressor.weight").shape());
    assertArrayEquals(new long[] {2, 2, 5, 3}, r.apply(Tensor.zeros(2, 8, 5, 3)).shape());
  }

  @Test
  void mapsOfDifferentSizesAreRefusedNamingBothShapes() {
    ShapeException e = assertThrows(ShapeException.class, () -> HintRegressor.infer("relu_2", new long[] {8, 4, 4},
        "relu_3", new long[] {16, 2, 2}, 1, false, new Rng(1)));
    assertTrue(e.getMessage().contains("[8, 4, 4]") && e.getMessage().contains("[16, 2, 2]"), e.getMessage());
    assertTrue(e.getMessage().contains("'relu_2'") && e.getMessage().contains("'relu_3'"), e.getMessage());

    e = assertThrows(ShapeException.class, () -> HintRegressor.infer("g", new long[] {32}, "h", new long[] {16, 4, 4},
        1, false, new Rng(1)));
    assertTrue(e.getMessage().contains("[32]") && e.getMessage().contains("[16, 4, 4]"), e.getMessage());
  }

  @Test
  void aBatchOfAnotherShapeIsRefused() {
    HintRegressor r = HintRegressor.infer("g", new long[] {32}, "h", new long[] {16}, 1, false, new Rng(1));
    ShapeException e = assertThrows(ShapeException.class, () -> r.apply(Tensor.zeros(5, 31)));
    assertTrue(e.getMessage().contains("[32]") && e.getMessage().contains("[5, 31]"), e.getMessage());
  }

  @Test
  void bindingReadsTheShapesOfTwoConvolutionalModelsByTapName() {
    Layer student = Sequential.of(
        LayerFactories.create("conv2d", Map.of("filters", 2, "kernel_size", 3, "padding", 1)),
        LayerFactories.create("relu"));
    Layer teacher = Sequential.of(
        LayerFactories.create("conv2d", Map.of("filters", 6, "kernel_size", 3, "padding", 1)),
        LayerFactories.create("relu"));
    Layers.build(teacher, new long[] {1, 6, 6}, new Rng(2));
    FitNets fitnets = new FitNets(Teacher.of(teacher), "relu_1", "conv2d_1", 3, true, 42)
        .bind(student, new long[] {1, 6, 6});
    HintRegressor r = fitnets.regressor();
    assertTrue(r.isConvolution());
    assertArrayEquals(new long[] {2, 6, 6}, r.guidedShape());
    assertArrayEquals(new long[] {6, 6, 6}, r.hintShape());
    assertArrayEquals(new long[] {6, 2, 3, 3}, r.parameters().get("regressor.weight").shape());
    assertTrue(student.isBuilt(), "binding builds the student");
  }

  @Test
  void theRegressorTakesTheDefaultTypeOfItsStudent() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      HintRegressor r = HintRegressor.infer("g", new long[] {3}, "h", new long[] {2}, 1, false, new Rng(1));
      for (Tensor t : List.copyOf(r.parameters().values())) {
        assertTrue(t.dataType() == DataType.DOUBLE && t.requiresGrad());
      }
    }
  }
}
