package dev.regimen.plugins.normalization;

import dev.regimen.api.nn.Layer;
import dev.regimen.testkit.LayerContract;
import java.util.Map;

/** {@code batchnorm} with {@code affine=false}: buffers only, on sequence input [N, C, L]. */
class BatchNormWithoutAffineTest extends LayerContract {
  BatchNormWithoutAffineTest() {
    super(new BatchNorm.Factory(), Map.of("affine", false), 2, 5);
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }
}
