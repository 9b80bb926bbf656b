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
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every element the same finite value: w = c (a small positive bias before a ReLU, say). Draws nothing
 * from the random stream.
 *
 * @param value the constant c, finite
 */
public record Constant(double value) implements Initializer {
  public static final String NAME = "constant";

  public Constant {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(NAME + ": value must be finite. Received: value=" + value);
    }
  }

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    return Nd4j.valueArrayOf(shape, value, type);
  }

  /** Makes {@code constant} from option {@code value}. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "Every element the same value",
          List.of(OptionSpec.required("value", OptionType.DOUBLE, "the value of every element")));
    }

    @Override
    public Initializer create(Options options) {
      return new Constant(options.getDouble("value"));
    }
  }
}
