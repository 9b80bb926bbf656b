package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a layer after dropout sees: at evaluation, the pre-activation x W + b of a dense layer fed by
 * any variant equals the mean of its training-mode pre-activations, so that at inference the next
 * layer meets, on average, the input it was trained on. Inverted dropout gets there by scaling
 * while training, classic dropout by scaling at evaluation.
 */
class PreActivationTest {
  private static final long[] FEATURES = {6};
  private static final int ROWS = 20_000;

  @ParameterizedTest(name = "{0} with {1}=0.5")
  @CsvSource({"dropout, rate", "dropout.scaled, rate", "dropout.gaussian, rate", "dropout.uout, beta"})
  void evaluationPreActivationIsTheMeanOfTrainingPreActivations(String name, String option) {
    Layer noise = Components.create(name, Map.of(option, 0.5));
    Layer dense = dense();
    INDArray row = new Rng(2).normal(DataType.DOUBLE, 0, 1, 1, FEATURES[0]);

    ForwardContext eval = ForwardContext.evaluation();
    double[] evaluation = Components.values(dense.forward(noise.forward(Tensor.of(row), eval), eval));
    // Every row of the batch is the same x; each draws its own noise, so the rows are independent samples.
    ForwardContext ctx = ForwardContext.training(new Rng(3));
    INDArray training = dense.forward(noise.forward(Tensor.of(row.repeat(0, ROWS)), ctx), ctx).array();
    for (int j = 0; j < evaluation.length; j++) {
      Moments.of(Components.column(training, j)).assertMean(evaluation[j], name + " pre-activation " + j);
    }
  }

  @Test
  void classicDropoutBeforeWeightsScaledUpIsInvertedDropout() {
    double rate = 0.4;
    Layer inverted = Components.create("dropout", Map.of("rate", rate));
    Layer classic = Components.create("dropout.scaled", Map.of("rate", rate));
    inverted.assignName("drop");
    classic.assignName("drop"); // the same name draws the same mask from the same context
    Layer dense = dense();
    Layer scaledDense = dense();
    scaledDense.parameters().get("weight").array().divi(1 - rate);

    Tensor x = Tensor.of(new Rng(4).normal(DataType.DOUBLE, 0, 1, 8, FEATURES[0]));
    for (ForwardContext ctx : new ForwardContext[] {ForwardContext.training(new Rng(5)), ForwardContext.evaluation()}) {
      INDArray a = dense.forward(inverted.forward(x, ctx), ctx).array();
      INDArray b = scaledDense.forward(classic.forward(x, ctx), ctx).array();
      double largest = a.sub(b).amaxNumber().doubleValue();
      assertTrue(largest < 1e-12, (ctx.training() ? "training" : "evaluation") + ": outputs differ by " + largest);
    }
  }

  /** A float64 dense layer with 3 units, the same weights every time. */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  private static Layer dense() {
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      return Layers.build(LayerFactories.create("dense", Map.of("units", 3)), FEATURES, new Rng(1));
    }
  }
}
