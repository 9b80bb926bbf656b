package dev.regimen.plugins.normalization;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Stochastic;
import dev.regimen.api.tensor.Tensor;
import java.util.List;

/** A test stand-in for the dropout family: adds Gaussian noise of standard deviation 10 while sampling, else the identity. */
final class LoudNoise extends AbstractLayer implements Stochastic {
  LoudNoise() {
    super("loud_noise", Options.defaults("layer 'loud_noise'", List.<OptionSpec>of()));
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return inputShape.clone();
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    if (!ctx.sampling()) {
      return input;
    }
    return input.add(Tensor.of(ctx.rng().fork(name()).normal(input.dataType(), 0, 10, input.shape())));
  }
}
