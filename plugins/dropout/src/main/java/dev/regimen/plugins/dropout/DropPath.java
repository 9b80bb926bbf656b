package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Drop path, the per-sample stochastic depth of Huang, Sun, Liu, Sedra and Weinberger 2016 ("Deep
 * Networks with Stochastic Depth", ECCV): placed last in the block of a {@code residual}, it drops
 * the whole residual branch for a random share of the samples,
 *
 * <pre>  y = x + b * f(x) / (1 - rate),   b ~ Bernoulli(1 - rate), one b per sample</pre>
 *
 * <p>so for a {@code rate} share of the samples the block is the identity, y = x, and the network is
 * shallower for them. At evaluation the branch is always kept, y = x + f(x). The paper drops the
 * branch for the whole mini-batch and scales it by the survival probability 1 - rate at test time;
 * drawing b per sample and scaling the kept branches up in training (inverted, as {@code dropout}
 * does) is timm's {@code DropPath}, which every recent residual network uses: E[y] = x + f(x) in
 * training, and evaluation needs no change. The layer itself is y = z * b / (1 - rate) on its input
 * z = f(x), with a mask [N, 1, ..., 1] broadcast over each sample; anywhere but the end of a residual
 * branch it would zero whole samples, so put it there:
 *
 * <pre>{@code rg.layer('residual', {block: [rg.layer('dense', {units: 64}), rg.layer('relu'),
 *     rg.layer('drop_path', {rate: 0.1})]})}</pre>
 *
 * <p>The paper's linear decay rule, rate_l = (l / L) rate_L for block l of L blocks (rate_L = 0.5
 * for its 110-layer ResNet), sets each block's own rate from the script. Option {@code rate}
 * (default 0.1, timm's value for DeiT): the probability of DROPPING a sample's branch, in [0, 1); not
 * of keeping it. Any per-sample shape is accepted.
 */
public final class DropPath extends NoiseLayer {
  public static final String NAME = "drop_path";

  public DropPath(Options options) {
    super(NAME, options, "rate");
  }

  /** b / (1 - rate) with b ~ Bernoulli(1 - rate), one per sample, as [N, 1, ..., 1]. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    long[] shape = new long[input.rank()];
    Arrays.fill(shape, 1);
    shape[0] = input.size(0);
    return Noise.invertedMask(rng, input.dataType(), strength(), shape);
  }

  /** Makes {@code drop_path}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Drop path (stochastic depth, Huang et al. 2016), last in a residual block: the branch is dropped for a"
              + " random share of the samples, y = z * b / (1 - rate) with one b ~ Bernoulli(1 - rate) per sample;"
              + " rate is the probability of dropping; identity at evaluation",
          List.of(Noise.rate(0.1, "sample's residual branch")));
    }

    @Override
    public Layer create(Options options) {
      return new DropPath(options);
    }
  }
}
