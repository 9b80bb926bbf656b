package dev.regimen.core.init;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * He (Kaiming) normal initialization (He et al. 2015, "Delving Deep into Rectifiers"): draws from
 * N(0, std^2) with std = sqrt(2 / ((1 + a^2) fan)), where fan is fan-in (default) or fan-out and a is
 * the negative slope of the leaky ReLU that follows (0 for ReLU). PyTorch's {@code kaiming_normal_};
 * unlike Keras' {@code he_normal} the normal is not truncated.
 *
 * @param mode which fan to divide by
 * @param negativeSlope the slope a of the rectifier for negative inputs, finite and at least 0
 */
public record HeNormal(FanMode mode, double negativeSlope) implements Initializer {
  public static final String NAME = "he_normal";

  public HeNormal {
    Fans.requireSlope(NAME, negativeSlope);
    if (mode == null) {
      throw new IllegalArgumentException(NAME + ": mode must be fan_in or fan_out. Received: mode=null");
    }
  }

  /** Fan-in, for ReLU. */
  public HeNormal() {
    this(FanMode.FAN_IN, 0.0);
  }

  /** The standard deviation for the given fans. */
  public double std(long fanIn, long fanOut) {
    return Math.sqrt(2.0 / ((1 + negativeSlope * negativeSlope) * mode.select(fanIn, fanOut)));
  }

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    Fans.requirePositive(NAME, shape, fanIn, fanOut);
    return rng.normal(type, 0.0, std(fanIn, fanOut), shape);
  }

  /** Makes {@code he_normal} from options {@code mode} and {@code negative_slope}. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "He normal: N(0, 2 / ((1 + a^2) fan)), for ReLU networks",
          HeUniform.heOptions());
    }

    @Override
    public Initializer create(Options options) {
      return new HeNormal(FanMode.parse(options.getString("mode")), options.getDouble("negative_slope"));
    }
  }
}
