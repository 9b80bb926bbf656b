package dev.regimen.plugins.dropout;

import dev.regimen.testkit.StochasticLayerContract;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropConnectTest extends StochasticLayerContract {
  private static final double RATE = 0.3;

  @Override
  protected ComponentFactory<Layer> factory() {
    return new DropConnect.Factory();
  }

  @Override
  protected Map<String, ?> options() {
    return Map.of("units", 3, "rate", RATE);
  }

  @Override
  protected long[] inputShape() {
    return new long[] {4};
  }

  @Test
  void startsWithTheWeightsOfTheBuiltInDenseAndEvaluatesLikeIt() {
    Layer dropconnect = builtLayer(SEED);
    Layer dense = Layers.build(LayerFactories.create("dense", Map.of("units", 3)), inputShape(), new Rng(SEED));
    assertEquals(List.of("weight", "bias"), List.copyOf(dropconnect.parameters().keySet()));
    for (String name : List.of("weight", "bias")) {
      assertSameValues(dense.parameters().get(name), dropconnect.parameters().get(name), name + " from the same seed");
    }
    Tensor x = batch(5, SEED + 2);
    assertSameValues(evaluate(dense, x), evaluate(dropconnect, x), "evaluation output x W + b");
  }

  @Test
  void drawsOneMaskPerBatch() {
    Layer layer = builtLayer(SEED);
    INDArray row = batch(1, SEED + 2).array();
    Tensor x = Tensor.of(Nd4j.concat(0, row, row, row, row));
    INDArray y = Components.train(layer, x, 3).array();
    for (int i = 1; i < 4; i++) {
      assertArrayEquals(Components.values(y.getRow(0)), Components.values(y.getRow(i)), "row " + i
          + " of a batch of equal rows");
    }
  }

  @Test
  void theWeightGradientIsMaskedAndScaled() {
    Layer layer = builtLayer(SEED);
    Tensor x = Components.constant(1.0, 1, 4).cast(layer.parameters().get("weight").dataType());
    layer.forward(x, trainingContext()).sum().backward();
    // With x = 1 and a single row, dL/dW = M / (1 - rate).
    double[] grad = Components.values(layer.parameters().get("weight").grad());
    int dropped = 0;
    for (double g : grad) {
      assertTrue(g == 0 || Math.abs(g - 1 / (1 - RATE)) < 1e-6,
          () -> "each weight gradient is 0 or 1 / (1 - rate); got " + g);
      dropped += g == 0 ? 1 : 0;
    }
    assertTrue(dropped > 0 && dropped < grad.length, "some but not all of 12 weights dropped: " + dropped);
  }

  @Test
  void trainingMeanIsTheEvaluationOutputAndVarianceMatchesTheFormula() {
    Layer layer = builtLayer(SEED);
    INDArray w = layer.parameters().get("weight").array();
    Tensor x = batch(1, SEED + 2);
    int passes = 1500;
    double[][] outputs = new double[3][passes];
    for (int s = 0; s < passes; s++) {
      double[] y = Components.values(Components.train(layer, x, 1000 + s));
      for (int j = 0; j < 3; j++) {
        outputs[j][s] = y[j];
      }
    }
    double[] evaluation = Components.values(evaluate(layer, x));
    double[] xs = Components.values(x);
    for (int j = 0; j < 3; j++) {
      // Var[y_j] = sum_i x_i^2 W_ij^2 rate / (1 - rate): the mask entries are independent.
      double variance = 0;
      for (int i = 0; i < 4; i++) {
        double xw = xs[i] * w.getDouble(i, j);
        variance += xw * xw * RATE / (1 - RATE);
      }
      Moments m = Moments.of(outputs[j]);
      m.assertMean(evaluation[j], "unit " + j);
      m.assertVariance(variance, "unit " + j);
    }
  }

  @Test
  void withoutBiasHasOnlyAWeight() {
    Layer layer = Layers.build(Components.create("dropconnect", Map.of("units", 2, "useBias", false)),
        new long[] {3}, new Rng(3));
    assertEquals(List.of("weight"), List.copyOf(layer.parameters().keySet()));
    assertTrue(layer.isWeight("weight"));
  }
}
