package dev.regimen.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.LayerConfig;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.opentest4j.AssertionFailedError;

/**
 * The contract must catch the mistakes it exists for: each flawed variant of a small layer,
 * y = factor x w, fails the check named beside it (the sound variant passes them all). The checkpoint
 * round trip needs the host, which this module cannot have (framework-core's tests use the kit):
 * here it must say so, and framework-core's {@code LayerContractCheckpointTest} checks what it catches.
 */
class LayerContractSelfTest {
  private static final String CHECKPOINT_CHECK = "aCheckpointRestoresTheLayerIntoAFreshOne";

  /** The mistakes a layer author can make. */
  enum Flaw {
    NONE,
    DETACHES_INPUT,
    UNUSED_PARAMETER,
    CONFIG_DROPS_AN_OPTION,
    WRONG_SHAPE_INFERENCE,
    FLOAT_PARAMETERS_ALWAYS,
    UNSEEDED_INIT,
    TRAINING_DIFFERS,
    UNSEEDED_NOISE_IN_TRAINING
  }

  @ParameterizedTest(name = "{0} fails {1}")
  @CsvSource({
      "DETACHES_INPUT, gradientsMatchFiniteDifferencesForTheInputAndEveryParameter",
      "UNUSED_PARAMETER, gradientsMatchFiniteDifferencesForTheInputAndEveryParameter",
      "CONFIG_DROPS_AN_OPTION, configRebuildsAnEquivalentLayer",
      "WRONG_SHAPE_INFERENCE, shapeInferenceMatchesTheForwardShape",
      "FLOAT_PARAMETERS_ALWAYS, parametersAreSeededAndInTheDefaultType",
      "UNSEEDED_INIT, parametersAreSeededAndInTheDefaultType",
      "TRAINING_DIFFERS, trainingAndEvaluationBehaveAsDeclared",
      "UNSEEDED_NOISE_IN_TRAINING, trainingAndEvaluationBehaveAsDeclared"})
  void theContractCatchesAFlawedLayer(Flaw flaw, String check) throws Exception {
    Method method = LayerContract.class.getMethod(check);
    LayerContract contract = new ScaleContract(flaw) {};
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> method.invoke(contract));
    assertInstanceOf(AssertionFailedError.class, e.getCause(), "a clear assertion, not a crash");
  }

  @Test
  void theSoundLayerPassesEveryCheck() throws Exception {
    LayerContract contract = new ScaleContract(Flaw.NONE) {};
    int checks = 0;
    for (Method method : LayerContract.class.getMethods()) {
      if (method.isAnnotationPresent(Test.class) && !method.getName().equals(CHECKPOINT_CHECK)) {
        try {
          method.invoke(contract);
        } catch (InvocationTargetException e) {
          fail(method.getName() + " failed on a sound layer", e.getCause());
        }
        checks++;
      }
    }
    assertTrue(checks >= 9, "found " + checks + " checks");
  }

  @Test
  void withoutAHostTheCheckpointRoundTripSaysWhatTheTestsNeed() throws Exception {
    Method method = LayerContract.class.getMethod(CHECKPOINT_CHECK);
    LayerContract contract = new ScaleContract(Flaw.NONE) {};
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> method.invoke(contract));
    AssertionFailedError failure = assertInstanceOf(AssertionFailedError.class, e.getCause());
    assertTrue(failure.getMessage().contains("add framework-core in test scope"), failure.getMessage());
  }

  /** The contract over the scale layer with one flaw; abstract so that JUnit does not run it by itself. */
  abstract static class ScaleContract extends LayerContract {
    private final Flaw flaw;

    ScaleContract(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected ComponentFactory<Layer> factory() {
      return new ScaleFactory(flaw);
    }

    @Override
    protected Map<String, ?> options() {
      return Map.of("factor", 3.0);
    }

    @Override
    protected long[] inputShape() {
      return new long[] {4};
    }
  }

  private static final class ScaleFactory extends AbstractComponentFactory<Layer> {
    private final Flaw flaw;

    ScaleFactory(Flaw flaw) {
      super(ComponentKind.LAYER, "test.scale", "y = factor x w, with a deliberate flaw", List.of(
          OptionSpec.of("factor", OptionType.DOUBLE, 1.0, "a constant factor")));
      this.flaw = flaw;
    }

    @Override
    public Layer create(Options options) {
      return new Scale(options, flaw);
    }
  }

  /** y = factor x w, per feature, with one deliberate flaw. */
  private static final class Scale extends AbstractLayer {
    private final Flaw flaw;
    private final double factor;
    private Tensor weight;

    Scale(Options options, Flaw flaw) {
      super("test.scale", options);
      this.flaw = flaw;
      this.factor = options.getDouble("factor");
    }

    @Override
    public long[] outputShape(long[] inputShape) {
      return flaw == Flaw.WRONG_SHAPE_INFERENCE ? new long[] {inputShape[0] + 1} : inputShape.clone();
    }

    @Override
    protected void onBuild(long[] inputShape, Rng rng) {
      DataType type = flaw == Flaw.FLOAT_PARAMETERS_ALWAYS ? DataType.FLOAT : Tensor.defaultType();
      weight = addParameter("weight", flaw == Flaw.UNSEEDED_INIT
          ? Nd4j.rand(type, inputShape)
          : rng.uniform(type, 0.5, 1.5, inputShape));
      if (flaw == Flaw.UNUSED_PARAMETER) {
        addParameter("unused", rng.normal(type, 0, 1, inputShape));
      }
    }

    @Override
    protected Tensor call(Tensor input, ForwardContext ctx) {
      Tensor x = flaw == Flaw.DETACHES_INPUT ? Tensor.of(input.array().dup()) : input;
      Tensor y = x.mul(weight).mul(factor);
      if (ctx.training() && flaw == Flaw.TRAINING_DIFFERS) {
        y = y.mul(2);
      }
      if (ctx.training() && flaw == Flaw.UNSEEDED_NOISE_IN_TRAINING) {
        y = y.add(Tensor.of(Nd4j.rand(y.dataType(), y.shape())));
      }
      return y;
    }

    @Override
    public LayerConfig config() {
      LayerConfig config = super.config();
      return flaw == Flaw.CONFIG_DROPS_AN_OPTION ? LayerConfig.leaf(config.type(), config.name(), Map.of()) : config;
    }
  }
}
