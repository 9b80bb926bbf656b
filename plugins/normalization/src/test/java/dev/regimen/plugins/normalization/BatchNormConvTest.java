package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code batchnorm} on convolutional input [N, C, H, W]: statistics per channel over N, H and W. */
class BatchNormConvTest extends LayerContract {
  BatchNormConvTest() {
    super(new BatchNorm.Factory(), Map.of("momentum", 0.3, "epsilon", 1e-3), 3, 4, 4);
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }

  @Test
  void eachChannelIsStandardizedOverTheBatchAndItsPositions() {
    Layer bn = builtLayer(SEED);
    Tensor x = batch(5, 3);
    Tensor y = bn.forward(x, ForwardContext.training(new Rng(1)));
    Tensor expected = Reference.batchNorm(x, null, null, 1e-3);
    assertArrayEquals(values(expected), values(y), 1e-5);
    double[] mean = values(y.mean(false, 0, 2, 3));
    assertArrayEquals(new double[] {0, 0, 0}, mean, 1e-5);
  }
}
