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
 * He (Kaiming) uniform initialization (He et al. 2015): draws from U(-limit, limit) with
 * limit = sqrt(6 / ((1 + a^2) fan)), the same variance 2 / ((1 + a^2) fan) as {@link HeNormal}. fan is
 * fan-in (default) or fan-out, a the negative slope of the rectifier. PyTorch's {@code kaiming_uniform_}.
 *
 * @param mode which fan to divide by
 * @param negativeSlope the slope a of the rectifier for negative inputs, finite and at least 0
 */
public record HeUniform(FanMode mode, double negativeSlope) implements Initializer {
  public static final String NAME = "he_uniform";

  public HeUniform {
    Fans.requireSlope(NAME, negativeSlope);
    if (mode == null) {
      throw new IllegalArgumentException(NAME + ": mode must be fan_in or fan_out. Received: mode=null");
    }
  }

  /** Fan-in, for ReLU. */
  public HeUniform() {
    this(FanMode.FAN_IN, 0.0);
  }

  /** The half-width of the interval for the given fans. */
  public double limit(long fanIn, long fanOut) {
    return Math.sqrt(6.0 / ((1 + negativeSlope * negativeSlope) * mode.select(fanIn, fanOut)));
  }

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    Fans.requirePositive(NAME, shape, fanIn, fanOut);
    double limit = limit(fanIn, fanOut);
    return rng.uniform(type, -limit, limit, shape);
  }

  /** The options of both He initializers. */
  static List<OptionSpec> heOptions() {
    return List.of(
        OptionSpec.of("mode", OptionType.STRING, "fan_in", "fan_in keeps forward variance, fan_out backward")
            .oneOf("fan_in", "fan_out"),
        OptionSpec.of("negative_slope", OptionType.DOUBLE, 0.0,
            "negative slope of the leaky ReLU that follows (0 for ReLU)").atLeast(0));
  }

  /** Makes {@code he_uniform} from options {@code mode} and {@code negative_slope}. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "He uniform: U(-sqrt(6 / ((1 + a^2) fan)), +sqrt(...)), for ReLU",
          heOptions());
    }

    @Override
    public Initializer create(Options options) {
      return new HeUniform(FanMode.parse(options.getString("mode")), options.getDouble("negative_slope"));
    }
  }
}
