package dev.regimen.core.init;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.Rng;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Xavier/Glorot uniform initialization (Glorot and Bengio 2010): draws from U(-limit, limit) with
 * limit = gain sqrt(6 / (fan_in + fan_out)), variance gain^2 2 / (fan_in + fan_out). Keras' default
 * for dense kernels ({@code glorot_uniform}) and PyTorch's {@code xavier_uniform_}.
 *
 * @param gain a scale factor, positive and finite (1 by default)
 */
public record GlorotUniform(double gain) implements Initializer {
  public static final String NAME = "glorot_uniform";

  public GlorotUniform {
    Fans.requirePositiveFinite(NAME, "gain", gain);
  }

  public GlorotUniform() {
    this(1.0);
  }

  /** The half-width of the interval for the given fans. */
  public double limit(long fanIn, long fanOut) {
    return gain * Math.sqrt(6.0 / (fanIn + fanOut));
  }

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    Fans.requirePositive(NAME, shape, fanIn, fanOut);
    double limit = limit(fanIn, fanOut);
    return rng.uniform(type, -limit, limit, shape);
  }

  /** The options of both Glorot initializers. */
  static List<OptionSpec> glorotOptions() {
    return List.of(OptionSpec.of("gain", OptionType.DOUBLE, 1.0, "scale factor (PyTorch's gain), positive")
        .atLeast(0));
  }

  /** Makes {@code glorot_uniform} from option {@code gain}. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME,
          "Glorot (Xavier) uniform: U(-gain sqrt(6 / (fan_in + fan_out)), +gain sqrt(...))", glorotOptions());
    }

    @Override
    public Initializer create(Options options) {
      return new GlorotUniform(options.getDouble("gain"));
    }
  }
}
