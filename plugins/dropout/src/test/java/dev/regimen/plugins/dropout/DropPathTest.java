package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Residual;
import dev.regimen.core.layers.Sequential;
import dev.regimen.testkit.StochasticLayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code drop_path} (Huang et al. 2016) as the last layer of a residual block: the branch is dropped
 * for a rate share of the samples, whole samples at a time, and kept (scaled up) for the others; at
 * evaluation the block is x + f(x).
 */
class DropPathTest extends StochasticLayerContract {
  DropPathTest() {
    super(new DropPath.Factory(), Map.of("rate", 0.5), 2, 3);
  }

  /** Eight samples: two passes with other seeds drop other samples (at rate 0.5 a tie has chance 2^-8). */
  @Override
  protected int batchSize() {
    return 8;
  }

  /** A residual block dense -> tanh -> drop_path on [6] features, built. */
  private static Residual block(double rate) {
    Residual residual = new Residual(Sequential.of(LayerFactories.create("dense", Map.of("units", 6)),
        LayerFactories.create("tanh"), Components.create("drop_path", Map.of("rate", rate))));
    Layers.build(residual, new long[] {6}, new Rng(3));
    return residual;
  }

  @ParameterizedTest(name = "rate={0}")
  @ValueSource(doubles = {0.1, 0.3, 0.7})
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  void dropsTheBranchForARateShareOfTheSamplesAndScalesUpTheRest(double rate) {
    int n = 20_000;
    Residual residual = block(rate);
    Tensor x = Tensor.of(new Rng(5).normal(DataType.DOUBLE, 0, 1, n, 6).castTo(Tensor.defaultType()));
    INDArray branch = evaluate(residual.block(), x).array();
    INDArray y;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      y = residual.forward(x, ForwardContext.training(new Rng(9))).array();
    }
    INDArray kept = x.array().add(branch.div(1 - rate));
    double[] dropped = new double[n];
    for (int i = 0; i < n; i++) {
      INDArray row = y.getRow(i);
      boolean identity = row.equals(x.array().getRow(i));
      boolean scaled = row.equalsWithEps(kept.getRow(i), 1e-5);
      assertTrue(identity != scaled, "sample " + i + " is either x or x + f(x) / (1 - rate) as a whole: " + row);
      dropped[i] = identity ? 1 : 0;
    }
    Moments.of(dropped).assertMean(rate, "share of samples whose branch was dropped");
  }

  @Test
  void theResidualBlockIsXPlusFOfXAtEvaluation() {
    Residual residual = block(0.5);
    Tensor x = Tensor.of(new Rng(6).normal(Tensor.defaultType(), 0, 1, 5, 6));
    Tensor expected = x.add(evaluate(residual.block(), x));
    assertSameValues(expected, evaluate(residual, x), "evaluation output of the block");
    assertSameValues(x, evaluate(Components.create("drop_path", Map.of("rate", 0.5)), x), "drop_path alone");
  }

  @Test
  void keepsTheExpectationOfTheBranch() {
    double rate = 0.25;
    Layer layer = Components.create("drop_path", Map.of("rate", rate));
    Tensor y = Components.train(layer, Components.constant(2.0, 100_000, 1), 13);
    Moments m = Moments.of(Components.values(y));
    m.assertMean(2.0, "drop_path(rate=" + rate + ")");
    m.assertVariance(4.0 * rate / (1 - rate), "drop_path(rate=" + rate + ")");
  }

  @Test
  void aRateOfZeroNeverDrops() {
    Layer layer = Components.create("drop_path", Map.of("rate", 0.0));
    Tensor x = batch(batchSize(), SEED + 2);
    assertSameValues(x, Components.train(layer, x, 1), "training output at rate 0");
    assertEquals(0.1, Components.factory("drop_path").options().get(0).defaultValue());
  }
}
