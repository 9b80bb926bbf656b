package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code layernorm} over every per-sample dimension of [C, H, W]. */
class LayerNormTest extends LayerContract {
  private static final double EPS = 1e-5;

  @Override
  protected ComponentFactory<Layer> factory() {
    return new LayerNorm.Factory();
  }

  @Override
  protected long[] inputShape() {
    return new long[] {2, 3, 2};
  }

  @Test
  void normalizesARowAsComputedByHand() {
    Layer ln = Layers.build(new LayerNorm.Factory().create(Map.of()), new long[] {4}, new Rng(1));
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 7, 7, 7, 7}, 2, 4);

    Tensor y = ln.forward(x, ForwardContext.training(new Rng(1)));

    // Row 1: mean 2.5, biased variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25. Row 2 is constant: all zeros.
    double s = Math.sqrt(1.25 + EPS);
    assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 0, 0, 0, 0}, values(y), 1e-5);
    assertSameValues(y, evaluate(ln, x), "training and evaluation");
  }

  @Test
  void gammaAndBetaHaveTheNormalizedShapeAndApplyPerElement() {
    Layer ln = builtLayer(SEED);
    assertArrayEquals(new long[] {2, 3, 2}, ln.parameters().get("gamma").shape());
    Tensor gamma = ln.parameters().get("gamma");
    Tensor beta = ln.parameters().get("beta");
    gamma.array().assign(new Rng(3).normal(gamma.dataType(), 1, 1, gamma.shape()));
    beta.array().assign(new Rng(4).normal(beta.dataType(), 0, 1, beta.shape()));
    Tensor x = batch(3, 5);
    Tensor expected = Reference.standardize(x, EPS, 1, 2, 3).mul(gamma.detach()).add(beta.detach());
    assertArrayEquals(values(expected), values(evaluate(ln, x)), 1e-5);
  }

  @Test
  void normalizedDimsNormalizesOnlyTheTrailingDimensions() {
    Layer ln = Layers.build(new LayerNorm.Factory().create(Map.of("normalized_dims", 1)), new long[] {3, 4}, new Rng(1));
    assertArrayEquals(new long[] {4}, ln.parameters().get("gamma").shape());
    Tensor x = batch(2, 6).reshape(2, 3, 4).mul(3).add(1);
    assertArrayEquals(values(Reference.standardize(x, EPS, 2)), values(evaluate(ln, x)), 1e-5);
  }

  @Test
  void normalizedDimsBeyondTheInputRankIsRefusedEchoingBoth() {
    Layer ln = new LayerNorm.Factory().create(Map.of("normalized_dims", 3));
    ShapeException e = assertThrows(ShapeException.class, () -> ln.outputShape(new long[] {3, 4}));
    assertTrue(e.getMessage().contains("normalized_dims=3") && e.getMessage().contains("[3, 4]"), e.getMessage());
  }
}
