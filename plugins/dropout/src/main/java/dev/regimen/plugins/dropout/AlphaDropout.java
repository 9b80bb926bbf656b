package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Alpha dropout (Klambauer, Unterthiner, Mayr and Hochreiter 2017, "Self-Normalizing Neural
 * Networks", NIPS, section 3), the dropout of {@code selu} networks: a dropped unit is set to SELU's
 * negative saturation value alpha' = -lambda alpha = -1.7580993408473766 instead of 0, and an affine
 * map restores the mean and the variance,
 *
 * <pre>
 *   y = a (x d + alpha' (1 - d)) + b,   d ~ Bernoulli(q), q = 1 - rate, one d per element,
 *   a = (q + alpha'^2 q (1 - q))^(-1/2),   b = -a (1 - q) alpha'
 * </pre>
 *
 * <p>so for inputs of mean 0 and variance 1 (SELU's fixed point) the output keeps mean 0 and
 * variance 1 (the paper's eq. 16-17), which inverted dropout, scaling by 1 / q, does not: it raises
 * the variance to 1 / q and pushes a self-normalizing network off its fixed point. At evaluation
 * y = x. The gradient flows through the kept units, scaled by a. PyTorch's {@code nn.AlphaDropout},
 * Keras' {@code AlphaDropout}.
 *
 * <p>Option {@code rate} (default 0.1; the paper uses 0.05 to 0.1): the probability of DROPPING a
 * unit, in [0, 1); not DL4J's probability of keeping it. Any per-sample shape is accepted.
 */
public final class AlphaDropout extends NoiseLayer {
  public static final String NAME = "dropout.alpha";

  /** SELU's negative saturation, -lambda alpha (the core's {@code selu} constants). */
  static final double ALPHA_PRIME = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;

  public AlphaDropout(Options options) {
    super(NAME, options, "rate");
  }

  /** a = (q + alpha'^2 q (1 - q))^(-1/2) for q = 1 - rate, read at use (a schedule may move the rate). */
  private double a() {
    double q = 1 - strength();
    return 1 / Math.sqrt(q + ALPHA_PRIME * ALPHA_PRIME * q * (1 - q));
  }

  /** The keep mask d ~ Bernoulli(1 - rate), 0 or 1 per element. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    return rng.bernoulli(input.dataType(), 1 - strength(), input.shape());
  }

  /** a d x + (a alpha' (1 - d) + b). */
  @Override
  protected Tensor applyNoise(Tensor input, INDArray keep) {
    double a = a();
    double b = -a * strength() * ALPHA_PRIME;
    INDArray shift = keep.rsub(1.0).muli(a * ALPHA_PRIME).addi(b);
    return input.mul(Tensor.of(keep.mul(a))).add(Tensor.of(shift));
  }

  /** Makes {@code dropout.alpha}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Alpha dropout (Klambauer et al. 2017) for selu networks: dropped units set to -lambda alpha, then an affine"
              + " map keeps mean 0 and variance 1; rate is the probability of dropping; identity at evaluation",
          List.of(Noise.rate(0.1, "unit")));
    }

    @Override
    public Layer create(Options options) {
      return new AlphaDropout(options);
    }
  }
}
