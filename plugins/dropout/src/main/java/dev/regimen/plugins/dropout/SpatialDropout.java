package dev.regimen.plugins.dropout;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Spatial dropout (Tompson, Goroshin, Jain, LeCun and Bregler, "Efficient Object Localization Using
 * Convolutional Networks", CVPR 2015): inverted dropout of whole feature maps. For NCHW input, while
 * sampling, y[n, c, h, w] = x[n, c, h, w] * m[n, c] / (1 - rate) with one m[n, c] ~ Bernoulli(1 - rate)
 * per sample and channel, a mask [N, C, 1, 1] broadcast over the map; at evaluation y = x.
 * Neighbouring pixels of a feature map are strongly correlated, so dropping them one by one barely
 * regularizes; dropping the map does (Keras' {@code SpatialDropout2D}, PyTorch's {@code Dropout2d}).
 * Per channel, E[y] = x and, for a constant map x, Var[y] = x^2 rate / (1 - rate).
 *
 * <p>Option {@code rate} (default 0.5): the probability of DROPPING a channel, in [0, 1); not DL4J's
 * probability of keeping it. The per-sample input must be [C, H, W].
 */
public final class SpatialDropout extends NoiseLayer {
  public static final String NAME = "dropout.spatial";

  public SpatialDropout(Options options) {
    super(NAME, options, "rate");
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
      throw new ShapeException(describe() + " expects per-sample input [C, H, W] (NCHW batches) and got "
          + Arrays.toString(inputShape) + "; use dropout for feature vectors");
    }
    return inputShape.clone();
  }

  /** m[n, c] / (1 - rate) with m ~ Bernoulli(1 - rate), one per sample and channel, broadcast over H and W. */
  @Override
  protected INDArray noise(Rng rng, Tensor input) {
    return Noise.invertedMask(rng, input.dataType(), strength(), input.size(0), input.size(1), 1, 1);
  }

  /** Makes {@code dropout.spatial}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Spatial dropout: drops whole channels of NCHW input, y = x * m[n, c] / (1 - rate) while training;"
              + " rate is the probability of dropping; identity at evaluation",
          List.of(Noise.rate(0.5, "channel")));
    }

    @Override
    public Layer create(Options options) {
      return new SpatialDropout(options);
    }
  }
}
