package dev.regimen.plugins.dropout;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the layers of this plugin share: the {@code rate} option and how noise is drawn. */
final class Noise {
  private Noise() {}

  /**
   * The {@code rate} option: the probability of DROPPING {@code what} (a unit, a channel, a weight),
   * in [0, 1). The description says so because DL4J's dropout takes the probability of keeping one:
   * 0.8 there is 0.2 here.
   */
  static OptionSpec rate(double defaultValue, String what) {
    return OptionSpec.of("rate", OptionType.DOUBLE, defaultValue,
        "probability of DROPPING a " + what + " (not of keeping it, as DL4J's dropout takes)").rangeExclusive(0, 1);
  }

  /**
   * The random stream of one layer in one pass: the context's stream forked by the layer's name (its
   * type if unnamed), so that a layer's noise does not depend on how many draws the layers before it
   * made. A layer called twice with one context draws the same noise twice.
   */
  static Rng stream(ForwardContext ctx, Layer layer) {
    return ctx.rng().fork("noise:" + (layer.name() == null ? layer.type() : layer.name()));
  }

  /** An inverted-dropout mask: 1 / (1 - rate) with probability 1 - rate, else 0. */
  static INDArray invertedMask(Rng rng, DataType type, double rate, long... shape) {
    return rng.bernoulli(type, 1 - rate, shape).divi(1 - rate);
  }
}
