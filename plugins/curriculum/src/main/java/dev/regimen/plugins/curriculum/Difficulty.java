package dev.regimen.plugins.curriculum;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.TrainingControl;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How hard each training sample is: one score per row of the training set, lower is easier, computed
 * once when training starts. Three sources:
 * <ul>
 *   <li>{@link #loss}: the loss of a reference model on the sample, in evaluation mode; the
 *       "transfer scoring" of Hacohen and Weinshall 2019 ("On the Power of Curriculum Learning in
 *       Training Deep Networks", ICML) when the reference is a network trained beforehand. Cross-entropy
 *       -sum_k q_k log softmax(z)_k for class labels [N] (q one-hot) or distributions [N, K]; squared
 *       error mean_j (p_j - t_j)^2 otherwise.
 *   <li>{@link #given}: scores the user computed (a human rating, a heuristic such as sentence length).
 *   <li>{@link #scorer}: a function called once per training row.
 * </ul>
 */
@FunctionalInterface
public interface Difficulty {

  /** The rows per forward pass when scoring with a model. */
  int BATCH = 256;

  /** One score per training row, in dataset order. */
  double[] scores(TrainingControl control);

  /** Given scores, one per training row in dataset order. */
  static Difficulty given(double[] scores) {
    double[] copy = scores.clone();
    return control -> copy.clone();
  }

  /**
   * The per-sample loss of a model in evaluation mode, or of the model being trained (as it is when
   * training starts) if {@code reference} is null.
   *
   * @param loss {@code auto} (cross-entropy for class labels [N], squared error otherwise),
   *     {@code cross_entropy} or {@code squared_error}
   */
  static Difficulty loss(Layer reference, String loss) {
    return control -> {
      Layer model = reference != null ? reference : control.model();
      if (!model.isBuilt()) {
        throw new IllegalStateException("The curriculum's reference model " + model.type() + " '" + model.name()
            + "' is not built, so it was never trained: train it (or load it) before scoring with it");
      }
      Batch all = control.trainingSample(control.trainingSize());
      return perSampleLoss(model, all.inputs(), all.targets(), loss);
    };
  }

  /**
   * A function of each training row (see {@link ScriptFunction} for the forms it may take).
   *
   * @param function an {@link IntToDoubleFunction} of the row index, a {@link ToDoubleFunction} of a
   *     one-row {@link Batch}, or a script function of (index, label)
   */
  static Difficulty scorer(Object function) {
    return control -> {
      Batch all = control.trainingSample(control.trainingSize());
      int n = (int) all.size();
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = ScriptFunction.score(function, i, all);
      }
      return scores;
    };
  }

  /** The loss of each row of {@code inputs} under {@code model} in evaluation mode, without gradients. */
  @SuppressWarnings("try")
  static double[] perSampleLoss(Layer model, Tensor inputs, Tensor targets, String loss) {
    Layers.assignNames(model);
    DataType type = Layers.parameters(model).stream().findFirst().map(p -> p.value().dataType())
        .orElse(inputs.dataType());
    long n = inputs.size(0);
    double[] out = new double[(int) n];
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (long start = 0; start < n; start += BATCH) {
        long end = Math.min(n, start + BATCH);
        Tensor x = inputs.slice(0, start, end).cast(type);
        Tensor output = model.forward(x, ForwardContext.evaluation());
        double[] part = perSampleLoss(output.array(), targets.slice(0, start, end).array(), loss);
        System.arraycopy(part, 0, out, (int) start, part.length);
      }
    }
    return out;
  }

  /** The loss of each row of model outputs against targets (see the class comment for the formulas). */
  static double[] perSampleLoss(INDArray output, INDArray targets, String loss) {
    long n = output.size(0);
    boolean labels = targets.rank() == 1;
    String kind = loss.equals("auto") ? (labels ? "cross_entropy" : "squared_error") : loss;
    INDArray p = output.castTo(DataType.DOUBLE);
    INDArray t = targets.castTo(DataType.DOUBLE);
    if (kind.equals("cross_entropy")) {
      if (p.rank() != 2) {
        throw new IllegalArgumentException("Cross-entropy scores need class scores [N, K] from the model; got "
            + Arrays.toString(p.shape()));
      }
      long k = p.size(1);
      INDArray q = labels
          ? t.reshape(n, 1).eq(Nd4j.arange(k).castTo(DataType.DOUBLE).reshape(1, k)).castTo(DataType.DOUBLE)
          : t;
      if (!Arrays.equals(q.shape(), p.shape())) {
        throw new IllegalArgumentException("Cross-entropy scores need labels [N] or distributions [N, K] for outputs "
            + Arrays.toString(p.shape()) + "; got targets " + Arrays.toString(targets.shape()));
      }
      INDArray logProbabilities = Tensor.of(p).logSoftmax(1).array();
      return logProbabilities.muli(q).sum(1).negi().data().asDouble();
    }
    INDArray aligned = t.length() == p.length() ? t.reshape(p.shape()) : null;
    if (aligned == null) {
      throw new IllegalArgumentException("Squared-error scores need targets shaped like the outputs "
          + Arrays.toString(p.shape()) + "; got " + Arrays.toString(targets.shape()));
    }
    INDArray squared = p.sub(aligned);
    squared.muli(squared);
    return squared.reshape(n, p.length() / n).mean(1).data().asDouble();
  }
}
