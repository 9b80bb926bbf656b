package dev.regimen.core.metrics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Metric;
import dev.regimen.api.loss.ClassTargets;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest scores, the
 * ImageNet "top-5" measure (Russakovsky et al. 2015). A sample counts when fewer than k classes score
 * strictly higher than the true class, #{j : z_ij &gt; z_iy} &lt; k, which needs no sort; a class tied
 * with the true one does not push it out (Keras' {@code TopKCategoricalAccuracy} resolves ties the
 * same way). Targets are labels [N] or distributions [N, K], whose argmax is the true class. Named
 * {@code top<k>_accuracy}, e.g. {@code top5_accuracy}.
 *
 * <p>Option {@code k} (default 5, at least 1).
 */
public final class TopKAccuracy extends AveragedMetric {
  public static final String NAME = "top_k_accuracy";

  private final int k;

  public TopKAccuracy(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(NAME + ": k must be >= 1. Received: k=" + k);
    }
    this.k = k;
  }

  public TopKAccuracy() {
    this(5);
  }

  public int k() {
    return k;
  }

  @Override
  public String name() {
    return "top" + k + "_accuracy";
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void update(Tensor output, Tensor target) {
    INDArray scores = output.array();
    Accuracy.requireClasses(name(), scores);
    INDArray classes = ClassTargets.areLabels(name(), scores.shape(), target.shape())
        ? target.array()
        : Nd4j.argMax(target.array(), 1);
    INDArray hot = ClassTargets.oneHot(name(), classes, scores.size(1), scores.dataType());
    INDArray trueScore = scores.mul(hot).sum(true, 1);
    INDArray higher = scores.gt(trueScore).castTo(DataType.INT).sum(1);
    add(higher.lt(k).castTo(DataType.LONG).sumNumber().longValue(), scores.size(0));
  }

  @Override
  public String toString() {
    return name();
  }

  /** Makes {@code top_k_accuracy} from option {@code k}. */
  public static final class Factory extends AbstractComponentFactory<Metric> {
    public Factory() {
      super(ComponentKind.METRIC, NAME, "Fraction of samples whose true class is among the k highest scores",
          List.of(OptionSpec.of("k", OptionType.INT, 5, "how many of the highest scores count").atLeast(1)));
    }

    @Override
    public Metric create(Options options) {
      return new TopKAccuracy(options.getInt("k"));
    }
  }
}
