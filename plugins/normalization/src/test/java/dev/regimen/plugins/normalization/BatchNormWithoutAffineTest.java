package dev.regimen.plugins.normalization;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.testkit.LayerContract;
import java.util.Map;

/** {@code batchnorm} with {@code affine=false}: buffers only, on sequence input [N, C, L]. */
class BatchNormWithoutAffineTest extends LayerContract {

  @Override
  protected ComponentFactory<Layer> factory() {
    return new BatchNorm.Factory();
  }

  @Override
  protected Map<String, ?> options() {
    return Map.of("affine", false);
  }

  @Override
  protected long[] inputShape() {
    return new long[] {2, 5};
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }
}
