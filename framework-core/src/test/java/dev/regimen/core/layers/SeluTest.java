package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SeluTest extends ActivationContract {
  SeluTest() {
    // Reference values: 1.0507009873554805 x, or 1.0507009873554805 * 1.6732632423543772 (e^x - 1).
    super(new Selu.Factory(), Map.of(),
        new double[] {-2, -1.5201664685956948}, new double[] {-0.5, -0.6917581878028713}, new double[] {0, 0},
        new double[] {0.5, 0.5253504936777402}, new double[] {3, 3.1521029620664414});
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void mapsAStandardNormalInputToMeanZeroAndVarianceOne() {
    // The fixed point of Klambauer et al. 2017: E[selu(z)] = 0 and Var[selu(z)] = 1 for z ~ N(0, 1).
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      int n = 400_000;
      Layer selu = Layers.build(new Selu.Factory().create(Map.of()), new long[] {1}, new Rng(1));
      INDArray y = evaluate(selu, Tensor.of(new Rng(2).normal(DataType.DOUBLE, 0, 1, n, 1))).array();
      double mean = y.meanNumber().doubleValue();
      double variance = y.varNumber().doubleValue();
      // Standard errors: about 1 / sqrt(n) = 0.0016 for the mean, 0.003 for the variance.
      assertEquals(0, mean, 0.008, "mean");
      assertEquals(1, variance, 0.015, "variance");
    }
  }
}
