package dev.regimen.core.init;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Xavier/Glorot normal initialization (Glorot and Bengio 2010, "Understanding the difficulty of
 * training deep feedforward neural networks"): draws from N(0, std^2) with
 * std = gain sqrt(2 / (fan_in + fan_out)), which balances the variance of activations and gradients
 * for tanh-like units. PyTorch's {@code xavier_normal_}; Keras' {@code glorot_normal} truncates.
 *
 * @param gain a scale factor, positive and finite (1 by default)
 */
public record GlorotNormal(double gain) implements Initializer {
  public static final String NAME = "glorot_normal";

  public GlorotNormal {
    Fans.requirePositiveFinite(NAME, "gain", gain);
  }

  public GlorotNormal() {
    this(1.0);
  }

  /** The standard deviation for the given fans. */
  public double std(long fanIn, long fanOut) {
    return gain * Math.sqrt(2.0 / (fanIn + fanOut));
  }

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    Fans.requirePositive(NAME, shape, fanIn, fanOut);
    return rng.normal(type, 0.0, std(fanIn, fanOut), shape);
  }

  /** Makes {@code glorot_normal} from option {@code gain}. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "Glorot (Xavier) normal: N(0, gain^2 2 / (fan_in + fan_out))",
          GlorotUniform.glorotOptions());
    }

    @Override
    public Initializer create(Options options) {
      return new GlorotNormal(options.getDouble("gain"));
    }
  }
}
