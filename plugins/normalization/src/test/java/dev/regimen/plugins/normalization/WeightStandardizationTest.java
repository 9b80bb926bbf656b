package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code weight_standardization} (Qiao et al. 2019): the convolution of the standardized filters, so
 * its output ignores each filter's scale and offset, and the gradient of each filter is centred and
 * orthogonal to the filter.
 */
class WeightStandardizationTest extends LayerContract {
  private static final Map<String, ?> OPTIONS = Map.of("filters", 3, "kernel_size", 2, "padding", 1);

  WeightStandardizationTest() {
    super(new WeightStandardization.Factory(), OPTIONS, 2, 4, 4);
  }

  private static Layer built(Map<String, ?> options) {
    return Layers.build(new WeightStandardization.Factory().create(options), new long[] {2, 4, 4}, new Rng(1));
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void isTheConvolutionOfTheStandardizedFilters() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer ws = built(Map.of("filters", 3, "kernel_size", 2, "padding", 1, "epsilon", 1e-5));
      INDArray w = ws.parameters().get("weight").array();
      ws.parameters().get("bias").array().assign(Nd4j.createFromArray(0.5, -1.0, 2.0));
      // The standardized filters by hand: each of the 3 filters of 2 x 2 x 2 weights.
      INDArray expected = w.dup();
      for (int o = 0; o < 3; o++) {
        double[] f = expected.slice(o).dup().data().asDouble();
        double mean = java.util.Arrays.stream(f).average().orElseThrow();
        double variance = java.util.Arrays.stream(f).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        expected.slice(o).assign(expected.slice(o).sub(mean).div(Math.sqrt(variance + 1e-5)));
      }
      Layer conv = Layers.build(LayerFactories.create("conv2d", OPTIONS), new long[] {2, 4, 4}, new Rng(2));
      conv.parameters().get("weight").array().assign(expected);
      conv.parameters().get("bias").array().assign(ws.parameters().get("bias").array());
      Tensor x = Tensor.of(new Rng(3).normal(DataType.DOUBLE, 0, 1, 2, 2, 4, 4));
      INDArray y = evaluate(ws, x).array();
      assertTrue(y.equalsWithEps(evaluate(conv, x).array(), 1e-9), y + " vs " + evaluate(conv, x).array());
    }
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void theOutputIgnoresEachFiltersScaleAndOffset() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer ws = built(Map.of("filters", 3, "kernel_size", 2, "epsilon", 1e-12));
      Tensor x = Tensor.of(new Rng(4).normal(DataType.DOUBLE, 0, 1, 2, 2, 4, 4));
      INDArray before = evaluate(ws, x).array().dup();
      INDArray w = ws.parameters().get("weight").array();
      double[] scales = {3, 0.1, 40};
      double[] offsets = {-2, 5, 0.3};
      for (int o = 0; o < 3; o++) {
        w.slice(o).muli(scales[o]).addi(offsets[o]);
      }
      assertTrue(evaluate(ws, x).array().equalsWithEps(before, 1e-8), "W and a W + c give the same output");
    }
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void eachFiltersGradientIsCentredAndOrthogonalToTheFilter() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer ws = built(Map.of("filters", 3, "kernel_size", 2, "epsilon", 1e-12));
      Tensor x = Tensor.of(new Rng(5).normal(DataType.DOUBLE, 0, 1, 4, 2, 4, 4));
      Tensor y = ws.forward(x, ForwardContext.training(new Rng(6)));
      y.mul(Tensor.of(new Rng(7).normal(DataType.DOUBLE, 0, 1, y.shape()))).sum().backward();
      Tensor weight = ws.parameters().get("weight");
      for (int o = 0; o < 3; o++) {
        INDArray g = weight.grad().slice(o);
        INDArray f = weight.array().slice(o);
        double scale = g.norm2Number().doubleValue() * f.norm2Number().doubleValue();
        assertEquals(0, g.sumNumber().doubleValue() / g.norm2Number().doubleValue(), 1e-6, "filter " + o + " centred");
        assertEquals(0, g.mul(f).sumNumber().doubleValue() / scale, 1e-6, "filter " + o + " orthogonal to W");
      }
    }
  }
}
