package dev.regimen.core.plugin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

/**
 * The test kit's checkpoint round trip ({@link LayerContract#aCheckpointRestoresTheLayerIntoAFreshOne})
 * with the real host, which the kit's own tests cannot have (framework-core's tests use the kit): the
 * whole contract runs on a small layer whose running statistic is a buffer, and the round trip fails the
 * same layer when it keeps that statistic in a field of its own, which no checkpoint holds.
 */
class LayerContractCheckpointTest extends LayerContract {

  LayerContractCheckpointTest() {
    super(new ShiftFactory(false), Map.of(), 4);
  }

  /** Evaluation subtracts the running shift; training does not. */
  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }

  @Test
  void aLayerThatKeepsItsRunningStatisticInAFieldFailsTheRoundTrip() {
    LayerContract flawed = new LayerContract(new ShiftFactory(true), Map.of(), 4) {
      @Override
      protected boolean sameInTrainingAndEvaluation() {
        return false;
      }
    };
    AssertionFailedError e = assertThrows(AssertionFailedError.class, flawed::aCheckpointRestoresTheLayerIntoAFreshOne);
    assertTrue(e.getMessage().contains("evaluation output of the layer restored from its checkpoint"), e.getMessage());
  }

  private static final class ShiftFactory extends AbstractComponentFactory<Layer> {
    private final boolean statisticInAField;

    ShiftFactory(boolean statisticInAField) {
      super(ComponentKind.LAYER, "test.shift", "y = x w in training, (x - shift) w in evaluation", List.of());
      this.statisticInAField = statisticInAField;
    }

    @Override
    public Layer create(Options options) {
      return new Shift(options, statisticInAField);
    }
  }

  /**
   * y = x w per feature while training, y = (x - shift) w in evaluation, where each training pass moves
   * shift halfway to the batch mean: a running statistic, as batch norm keeps. Sound, shift is a buffer;
   * flawed, it is a tensor the layer keeps to itself.
   */
  private static final class Shift extends AbstractLayer {
    private final boolean statisticInAField;
    private Tensor weight;
    private Tensor shift;

    Shift(Options options, boolean statisticInAField) {
      super("test.shift", options);
      this.statisticInAField = statisticInAField;
    }

    @Override
    public long[] outputShape(long[] inputShape) {
      return inputShape.clone();
    }

    @Override
    protected void onBuild(long[] inputShape, Rng rng) {
      weight = addParameter("weight", rng.uniform(Tensor.defaultType(), 0.5, 1.5, inputShape));
      shift = statisticInAField
          ? Tensor.of(Nd4j.zeros(Tensor.defaultType(), inputShape))
          : addBuffer("shift", Nd4j.zeros(Tensor.defaultType(), inputShape));
    }

    @Override
    @SuppressWarnings("try") // the scope is used for its effect, not referenced
    protected Tensor call(Tensor input, ForwardContext ctx) {
      if (!ctx.training()) {
        return input.sub(shift).mul(weight);
      }
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        shift.array().muli(0.5).addi(input.array().mean(0).castTo(shift.dataType()).muli(0.5));
      }
      return input.mul(weight);
    }
  }
}
