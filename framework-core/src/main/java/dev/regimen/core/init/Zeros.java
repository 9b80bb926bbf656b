package dev.regimen.core.init;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.Rng;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** All zeros: w = 0. The usual start for biases; draws nothing from the random stream. */
public record Zeros() implements Initializer {
  public static final String NAME = "zeros";

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    return Nd4j.zeros(type, shape);
  }

  /** Makes {@code zeros}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "All zeros (biases)", List.of());
    }

    @Override
    public Initializer create(Options options) {
      return new Zeros();
    }
  }
}
