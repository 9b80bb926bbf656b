package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code instancenorm} on [C, H, W]: each channel of each sample over H and W. */
class InstanceNormTest extends LayerContract {
  InstanceNormTest() {
    super(new InstanceNorm.Factory(), Map.of(), 3, 3, 2);
  }

  @Test
  void eachChannelOfEachSampleIsStandardizedOverItsPositionsThenScaledPerChannel() {
    Layer in = builtLayer(SEED);
    Tensor gamma = in.parameters().get("gamma");
    Tensor beta = in.parameters().get("beta");
    gamma.array().assign(new Rng(3).normal(gamma.dataType(), 1, 1, 3));
    beta.array().assign(new Rng(4).normal(beta.dataType(), 0, 1, 3));
    Tensor x = batch(4, 5).mul(2).add(3);
    Tensor expected = Reference.standardize(x, 1e-5, 2, 3)
        .mul(Reference.perChannel(gamma.detach(), 4)).add(Reference.perChannel(beta.detach(), 4));
    assertArrayEquals(values(expected), values(evaluate(in, x)), 1e-5);
  }

  @Test
  void inputWithoutSpatialAxesIsRefused() {
    Layer in = new InstanceNorm.Factory().create(java.util.Map.of());
    ShapeException e = assertThrows(ShapeException.class, () -> in.outputShape(new long[] {8}));
    assertTrue(e.getMessage().contains("[8]"), e.getMessage());
  }
}
