package dev.regimen.plugins.augmentation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision",
 * CVPR, section 7): the hard target of class y becomes the soft target
 *
 * <pre>  q_k = 1 - eps            for k = y
 *   q_k = eps / (K - 1)      for the K - 1 other classes</pre>
 *
 * as in the lecture, so the network is no longer pushed towards infinite logit gaps and is less
 * over-confident. Targets that are already distributions t [N, K] (after mixup, say) become
 * q = (1 - eps) t + eps (1 - t) / (K - 1), which is the same for one-hot rows and still sums to 1.
 * The inputs are not touched; the loss must accept soft targets ({@code softmax_cross_entropy}
 * does).
 *
 * <p>Where this differs from PyTorch: {@code CrossEntropyLoss(label_smoothing=eps)} (and Keras'
 * {@code label_smoothing}) mixes with the uniform distribution over all K classes, q = (1 - eps)
 * onehot + eps / K, so the true class keeps 1 - eps + eps/K. The two agree when eps_here = eps_torch
 * (K - 1) / K: eps = 0.1 in PyTorch with K = 10 is eps = 0.09 here.
 *
 * <p>Option {@code epsilon} (default 0.1): the probability mass moved off the true class, in [0, 1);
 * on a batch it must not exceed (K - 1)/K (which gives the uniform distribution), or the true class
 * would get less than the others. Needs a classification data set ({@code numClasses()} &gt;= 2).
 */
public final class LabelSmoothing extends AbstractAugmenter {
  public static final String NAME = "label_smoothing";

  private final double epsilon;

  public LabelSmoothing(Options options) {
    super(options);
    this.epsilon = options.getDouble("epsilon");
  }

  @Override
  protected Batch augment(Batch batch, Context ctx) {
    int classes = ctx.numClasses();
    if (classes < 2) {
      throw new IllegalArgumentException(NAME + " needs class targets, but the training data has " + classes
          + " classes (a regression set?)");
    }
    if (epsilon > (classes - 1.0) / classes) {
      throw new IllegalArgumentException(NAME + ": epsilon must be at most (K - 1)/K = " + (classes - 1.0) / classes
          + " for K = " + classes + " classes, or the true class gets less than the others. Received: epsilon="
          + epsilon);
    }
    DataType type = Images.floatType(batch.inputs().array());
    INDArray q = Targets.distributions(NAME, batch.targets().array(), batch.size(), classes, type);
    return batch.withTargets(Tensor.of(smooth(q, epsilon)));
  }

  /** (1 - eps) t + eps (1 - t) / (K - 1) for distributions t [N, K]. */
  static INDArray smooth(INDArray t, double epsilon) {
    long classes = t.size(1);
    return t.mul(1 - epsilon).addi(t.rsub(1.0).muli(epsilon / (classes - 1)));
  }

  @Override
  public String toString() {
    return NAME + "(epsilon=" + epsilon + describeEpochs() + ")";
  }

  /** Makes {@code label_smoothing}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Augmenter> {
    public Factory() {
      super(ComponentKind.AUGMENTER, NAME,
          "Label smoothing: target 1 - epsilon on the true class and epsilon/(K-1) on each other class"
              + " (PyTorch's epsilon/K convention is epsilon*(K-1)/K here)",
          AbstractAugmenter.options(
              OptionSpec.of("epsilon", OptionType.DOUBLE, 0.1, "probability mass moved off the true class")
              .rangeExclusive(0, 1)));
    }

    @Override
    public Augmenter create(Options options) {
      return new LabelSmoothing(options);
    }
  }
}
