package dev.regimen.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Stochastic;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layer contract for layers that draw noise in training (dropout and its variants, noise layers):
 * training and evaluation differ, and noise is drawn if and only if the context samples. The gradient
 * check holds the noise fixed: it calls {@link #trainingContext()} for every evaluation of the
 * function, and each call gives a fresh stream with the same seed, so every finite-difference pass
 * draws the same mask.
 */
public abstract class StochasticLayerContract extends LayerContract {

  /** For a subclass that overrides {@link #factory()} and {@link #inputShape()} (and {@link #options()}). */
  protected StochasticLayerContract() {}

  /** For a subclass that declares its layer's factory, options and per-sample input shape. */
  protected StochasticLayerContract(ComponentFactory<Layer> factory, Map<String, ?> options, long... inputShape) {
    super(factory, options, inputShape);
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }

  @Test
  public void isMarkedStochastic() {
    assertInstanceOf(Stochastic.class, newLayer());
  }

  @Test
  public void trainingDrawsNoiseThatEvaluationDoesNot() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    assertDiffer(evaluate(layer, x), layer.forward(x, trainingContext()), "training and evaluation outputs");
  }

  @Test
  public void anotherSeedDrawsOtherNoise() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    assertDiffer(layer.forward(x, ForwardContext.training(new Rng(1))),
        layer.forward(x, ForwardContext.training(new Rng(2))), "passes with seeds 1 and 2");
  }

  @Test
  public void samplesIfAndOnlyIfTheContextSamples() {
    Layer layer = builtLayer(SEED);
    Tensor x = batch(batchSize(), SEED + 2);
    Tensor eval = evaluate(layer, x);

    Tensor trainingWithoutSampling = layer.forward(x, ForwardContext.training(new Rng(7)).withSampling(false));
    assertSameValues(eval, trainingWithoutSampling, "a training pass without sampling (precise batch norm)");

    Tensor monteCarlo = layer.forward(x, ForwardContext.sampling(new Rng(7)));
    assertSameValues(layer.forward(x, ForwardContext.training(new Rng(7))), monteCarlo,
        "an evaluation pass that samples (Monte Carlo dropout) draws as training does");
  }

  protected static void assertDiffer(Tensor a, Tensor b, String what) {
    assertArrayEquals(a.shape(), b.shape(), what + ": shape");
    assertFalse(Arrays.equals(values(a), values(b)), what + " should differ");
  }
}
