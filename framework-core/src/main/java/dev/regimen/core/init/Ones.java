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

/** All ones: w = 1. The usual start for normalization scales; draws nothing from the random stream. */
public record Ones() implements Initializer {
  public static final String NAME = "ones";

  @Override
  public INDArray initialize(long[] shape, long fanIn, long fanOut, DataType type, Rng rng) {
    return Nd4j.ones(type, shape);
  }

  /** Makes {@code ones}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Initializer> {
    public Factory() {
      super(ComponentKind.INITIALIZER, NAME, "All ones (normalization scales)", List.of());
    }

    @Override
    public Initializer create(Options options) {
      return new Ones();
    }
  }
}
