package dev.regimen.core.metrics;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.Options;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Metric;
import dev.regimen.api.loss.ClassTargets;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classification accuracy: the fraction of samples whose highest score is the true class,
 * (1/N) sum_i [argmax_k z_ik = y_i], from scores [N, K] (logits or probabilities) and either integer
 * labels [N] or target distributions [N, K], whose argmax is taken as the class (so smoothed or mixed
 * labels still count). Ties go to the lowest class index, as in ND4J's and NumPy's argmax. Counted
 * over every batch since {@link #reset()}; Keras' {@code accuracy} for sparse or categorical targets.
 */
public final class Accuracy extends AveragedMetric {
  public static final String NAME = "accuracy";


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean higherIsBetter() {
    return true;
  }

  @Override
  public void update(Tensor output, Tensor target) {
    INDArray scores = output.array();
    INDArray predicted = Nd4j.argMax(scores, 1);
    INDArray truth = Nd4j.argMax(targetRows(NAME, scores, target.array()), 1);
    add(predicted.eq(truth).castTo(DataType.LONG).sumNumber().longValue(), scores.size(0));
  }

  /**
   * The targets as rows [N, K] for scores [N, K]: one-hot rows of labels (checked to lie in [0, K)),
   * or the given distributions.
   */
  private static INDArray targetRows(String op, INDArray scores, INDArray targets) {
    requireClasses(op, scores);
    if (ClassTargets.areLabels(op, scores.shape(), targets.shape())) {
      return ClassTargets.oneHot(op, targets, scores.size(1), scores.dataType());
    }
    return targets;
  }

  /** Scores must be [N, K] with K &gt;= 2: one sigmoid output has no argmax to compare. */
  static void requireClasses(String op, INDArray scores) {
    if (scores.rank() != 2 || scores.size(1) < 2) {
      throw new ShapeException(op + ": scores must have shape [N, K] with K >= 2 classes; got "
          + Arrays.toString(scores.shape()));
    }
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Makes {@code accuracy}; it has no options. */
  public static final class Factory extends AbstractComponentFactory<Metric> {
    public Factory() {
      super(ComponentKind.METRIC, NAME, "Fraction of samples whose highest score is the true class", List.of());
    }

    @Override
    public Metric create(Options options) {
      return new Accuracy();
    }
  }
}
