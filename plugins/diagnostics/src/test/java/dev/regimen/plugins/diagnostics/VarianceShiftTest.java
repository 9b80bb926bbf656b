package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.batchnorm;
import static dev.regimen.plugins.diagnostics.Fixtures.blobs;
import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.dropout;
import static dev.regimen.plugins.diagnostics.Fixtures.relu;
import static dev.regimen.plugins.diagnostics.Fixtures.train;
import static dev.regimen.plugins.diagnostics.Fixtures.uout;
import static dev.regimen.plugins.diagnostics.Fixtures.varianceShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.BatchStatistics;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.History;
import dev.regimen.core.layers.Sequential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** What the variance-shift diagnostic measures: Li et al.'s shift where it exists, and none where it does not. */
class VarianceShiftTest {
  private static final String SHIFT = "variance_shift/batchnorm_1";

  /** dense -> noise -> dense -> batchnorm -> relu -> dense: the noise comes before the batch norm. */
  private static Layer noiseBeforeBatchNorm(Layer noise) {
    return Sequential.of(dense(32), noise, dense(16), batchnorm(), relu(), dense(3));
  }

  private static History trainWithShift(Layer model, int epochs) {
    VarianceShift shift = varianceShift(Map.of("samples", 240)).probe(blobs().features());
    return train(model, epochs, shift).history();
  }

  @Test
  void dropoutBeforeBatchNormShiftsTheVarianceClearlyAwayFromOne() {
    // Measured: 1.59 after one epoch (with this seed), falling as training adapts the weights to the noise.
    double ratio = trainWithShift(noiseBeforeBatchNorm(dropout(0.5)), 1).last(SHIFT).orElseThrow();
    assertTrue(ratio > 1.3, "var_train / var_eval at batchnorm_1 with dropout 0.5 before it: " + ratio);
  }

  @Test
  void withoutAProbeItMeasuresTheFirstRowsOfTheTrainingSet() {
    VarianceShift shift = varianceShift(Map.of("samples", 240));
    double ratio = train(noiseBeforeBatchNorm(dropout(0.5)), 1, shift).history().last(SHIFT).orElseThrow();
    assertTrue(ratio > 1.3, "var_train / var_eval on the training rows: " + ratio);
  }

  @Test
  void uoutAtTheSameRateShiftsAnOrderOfMagnitudeLess() {
    // Noise variance per unit, relative to E[x^2]: dropout p / (1 - p) = 1; Uout beta^2 / 3 = 1 / 12.
    double dropoutShift = trainWithShift(noiseBeforeBatchNorm(dropout(0.5)), 1).last(SHIFT).orElseThrow();
    double uoutShift = trainWithShift(noiseBeforeBatchNorm(uout(0.5)), 1).last(SHIFT).orElseThrow();
    assertTrue(uoutShift >= 1, "Uout still adds some variance: " + uoutShift);
    assertTrue(uoutShift - 1 < 0.2 * (dropoutShift - 1), "Uout " + uoutShift + " against dropout " + dropoutShift);
  }

  @Test
  void theSameModelWithoutDropoutShowsNoShift() {
    History history = trainWithShift(Sequential.of(dense(32), dense(16), batchnorm(), relu(), dense(3)), 1);
    assertEquals(1.0, history.last(SHIFT).orElseThrow(), 1e-6);
  }

  @Test
  void batchNormsInARowShowNoShiftOnceTheirStatisticsAreTheData() {
    Layer model = Sequential.of(dense(32), batchnorm(), relu(), dense(16), batchnorm(), relu(), dense(3));
    train(model, 2);
    reestimateStatistics(model, blobs().features());
    // The probe is all of the data, so batch statistics and running ones differ only by k / (k - 1).
    Map<String, Double> measured = varianceShift(Map.of("samples", 480)).probe(blobs().features()).measure(model, 0);
    assertEquals(1.0, measured.get("variance_shift/batchnorm_1"), 1e-6, "nothing before batchnorm_1 differs");
    assertEquals(1.0, measured.get("variance_shift/batchnorm_2"), 0.01, measured.toString());
    assertEquals(1.0, measured.get("running_shift/batchnorm_1"), 0.01, measured.toString());
    assertEquals(1.0, measured.get("running_shift/batchnorm_2"), 0.01, measured.toString());
  }

  @Test
  void measuresLiEtAlsDropoutVarianceWhenBatchNormFollowsDropoutDirectly() {
    double p = 0.3;
    Layer model = Sequential.of(dense(16), dropout(p), batchnorm());
    Tensor probe = Tensor.of(new Rng(5).normal(DataType.FLOAT, 0.5, 1, 4096, 8));
    Map<String, Double> measured = varianceShift(Map.of("samples", 4096)).probe(probe).measure(model, 0);
    // Per unit with mean c and variance v: Var_train = (c^2 + v) / (1 - p) - c^2, Var_eval = v.
    double[][] cv = unitMoments(model, probe, "dense_1");
    double expectedTrain = 0;
    double expectedEval = 0;
    for (double[] unit : cv) {
      expectedTrain += (unit[0] * unit[0] + unit[1]) / (1 - p) - unit[0] * unit[0];
      expectedEval += unit[1];
    }
    expectedTrain /= cv.length;
    expectedEval /= cv.length;
    assertEquals(expectedEval, measured.get("var_eval/batchnorm_1"), 1e-4 * expectedEval);
    assertEquals(expectedTrain, measured.get("var_train/batchnorm_1"), 0.05 * expectedTrain);
    assertEquals(expectedTrain / expectedEval, measured.get(SHIFT), 0.05 * expectedTrain / expectedEval);
  }

  @Test
  void measuresLiEtAlsUoutVarianceWhenBatchNormFollowsUoutDirectly() {
    double beta = 0.5;
    Layer model = Sequential.of(dense(16), uout(beta), batchnorm());
    Tensor probe = Tensor.of(new Rng(6).normal(DataType.FLOAT, 0.5, 1, 4096, 8));
    Map<String, Double> measured = varianceShift(Map.of("samples", 4096)).probe(probe).measure(model, 0);
    // Per unit: Var_train = v + (c^2 + v) beta^2 / 3, Var_eval = v.
    double expectedTrain = 0;
    for (double[] unit : unitMoments(model, probe, "dense_1")) {
      expectedTrain += unit[1] + (unit[0] * unit[0] + unit[1]) * beta * beta / 3;
    }
    expectedTrain /= 16;
    assertEquals(expectedTrain, measured.get("var_train/batchnorm_1"), 0.02 * expectedTrain);
  }

  /** The mean and population variance of every unit of a layer's output at evaluation. */
  @SuppressWarnings("try")
  private static double[][] unitMoments(Layer model, Tensor probe, String layer) {
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
      model.forward(probe, ctx);
      double[][] x = ctx.taps().get(layer).array().castTo(DataType.DOUBLE).toDoubleMatrix();
      double[][] out = new double[x[0].length][2];
      for (int k = 0; k < x[0].length; k++) {
        double sum = 0;
        double squares = 0;
        for (double[] row : x) {
          sum += row[k];
          squares += row[k] * row[k];
        }
        double mean = sum / x.length;
        out[k][0] = mean;
        out[k][1] = squares / x.length - mean * mean;
      }
      return out;
    }
  }

  /** Precise BN through the API: one training pass without dropout over all of the data, pooled exactly. */
  @SuppressWarnings("try")
  static void reestimateStatistics(Layer model, Tensor data) {
    List<BatchStatistics> norms =
        Layers.all(model).stream().filter(BatchStatistics.class::isInstance).map(BatchStatistics.class::cast).toList();
    norms.forEach(BatchStatistics::beginExactStatistics);
    try (Tensor.GradScope scope = Tensor.noGrad()) {
      model.forward(data, ForwardContext.training(new Rng(0)).withSampling(false));
    }
    norms.forEach(BatchStatistics::endExactStatistics);
  }
}
