package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.train.Evaluation;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Monte Carlo dropout (Gal and Ghahramani 2016) with this plugin's layers, through the core's
 * {@link Evaluation#predictMonteCarlo}: the layers keep sampling in an evaluation pass that samples,
 * so T passes give a predictive mean and variance.
 */
class MonteCarloTest {
  private static final int SAMPLES = 1000;
  private static final long[] FEATURES = {8};

  @ParameterizedTest(name = "{0}")
  @CsvSource({"dropout, rate", "dropout.scaled, rate", "dropout.gaussian, rate", "dropout.uout, beta"})
  void predictiveMeanOfALinearModelApproachesTheEvaluationOutputWithPositiveVariance(String name, String option) {
    Layer model = linearModel(Components.create(name, Map.of(option, 0.5)));
    INDArray x = new Rng(2).normal(DataType.DOUBLE, 0, 1, 16, FEATURES[0]);

    Evaluation.McPrediction mc = Evaluation.predictMonteCarlo(model, x, SAMPLES, 16, new Rng(3));
    INDArray deterministic = Evaluation.predict(model, x, 16);

    double[] mean = Components.values(mc.mean());
    double[] variance = Components.values(mc.variance());
    double[] expected = Components.values(deterministic);
    for (int i = 0; i < mean.length; i++) {
      assertTrue(variance[i] > 0, name + " is active: output " + i + " must vary");
      Moments.assertWithin(expected[i], mean[i], Math.sqrt(variance[i] / SAMPLES), name + " output " + i);
    }
  }

  @Test
  void dropConnectAloneGivesAPredictiveMeanNearItsEvaluationOutput() {
    Layer model = build(Sequential.of(Components.create("dropconnect", Map.of("units", 3, "rate", 0.5))));
    INDArray x = new Rng(2).normal(DataType.DOUBLE, 0, 1, 16, FEATURES[0]);

    Evaluation.McPrediction mc = Evaluation.predictMonteCarlo(model, x, SAMPLES, 16, new Rng(3));
    double[] mean = Components.values(mc.mean());
    double[] variance = Components.values(mc.variance());
    double[] expected = Components.values(Evaluation.predict(model, x, 16));
    for (int i = 0; i < mean.length; i++) {
      assertTrue(variance[i] > 0, "output " + i + " must vary");
      Moments.assertWithin(expected[i], mean[i], Math.sqrt(variance[i] / SAMPLES), "output " + i);
    }
  }

  @Test
  void aModelWithoutStochasticLayersHasNoPredictiveVariance() {
    Layer model = linearModel(LayerFactories.create("relu"));
    INDArray x = new Rng(2).normal(DataType.DOUBLE, 0, 1, 16, FEATURES[0]);

    Evaluation.McPrediction mc = Evaluation.predictMonteCarlo(model, x, 50, 16, new Rng(3));

    // Zero up to rounding: the core computes the variance as mean(y^2) - mean(y)^2, which cancels to
    // about 1e-16 mean(y)^2 in float64 rather than to exactly 0 when every pass is the same.
    double scale = 1 + mc.mean().mul(mc.mean()).maxNumber().doubleValue();
    double largest = mc.variance().amaxNumber().doubleValue();
    assertTrue(largest <= 1e-12 * scale, "largest variance " + largest);
    assertEquals(0.0, mc.mean().sub(Evaluation.predict(model, x, 16)).amaxNumber().doubleValue(), 1e-12 * scale,
        "the mean is the evaluation output");
  }

  /** {@code first}, then a dense layer of 3 units: linear in the input for the dropout family. */
  private static Layer linearModel(Layer first) {
    return build(Sequential.of(first, LayerFactories.create("dense", Map.of("units", 3))));
  }

  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private static Layer build(Layer model) {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      return Layers.build(model, FEATURES, new Rng(1));
    }
  }
}
