package dev.regimen.core.train;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finds where a training step went non-finite, for the trainer's NaN guard: the first layer whose
 * output holds a NaN or an infinity (a forward pass again, recording every layer's output), or the
 * first parameter, in the order backward reaches them, whose gradient does.
 */
final class NonFiniteSearch {
  private NonFiniteSearch() {}

  /**
   * Where a non-finite loss began, in words: the batch's inputs, the first layer whose output is not
   * finite, or the loss itself. Runs the forward pass again in training mode with the batch's stream,
   * leaving layer state alone.
   */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  static String output(Layer model, Batch data, Rng forwardRng) {
    if (!finite(data.inputs().array())) {
      return "The batch's inputs hold non-finite values";
    }
    ForwardContext ctx = ForwardContext.training(forwardRng).withStateUpdates(false).recordingTaps();
    Tensor output;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      output = model.forward(data.inputs(), ctx);
    }
    for (Map.Entry<String, Tensor> tap : ctx.taps().entrySet()) {
      if (!finite(tap.getValue().array())) {
        return "The output of layer '" + tap.getKey() + "' is the first to hold non-finite values";
      }
    }
    if (!finite(output.array())) {
      return "The output of the model ('" + model.name() + "') holds non-finite values";
    }
    return "Every layer's output is finite: the objective or a regularizer's penalty made the loss non-finite";
  }

  /**
   * Where a non-finite gradient is, in words, or null if every gradient is finite: the parameter that
   * backward reaches first (the last in model order) among those whose gradient is not finite.
   */
  static String gradient(List<Parameter> parameters) {
    List<Parameter> bad = new ArrayList<>();
    for (Parameter p : parameters) {
      INDArray g = p.value().grad();
      if (g != null && !finite(g)) {
        bad.add(p);
      }
    }
    if (bad.isEmpty()) {
      return null;
    }
    Parameter first = bad.get(bad.size() - 1);
    String name = first.name();
    String layer = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    return "The gradient of " + name + " (layer '" + layer + "') is the first, in backward order, to hold"
        + " non-finite values; " + bad.size() + " of " + parameters.size() + " parameters' gradients do";
  }

  /** Whether every element is finite: a sum first (one pass), then a count if the sum is not finite. */
  static boolean finite(INDArray a) {
    if (a.length() == 0 || Double.isFinite(a.sumNumber().doubleValue())) {
      return true;
    }
    return !a.isNaN().any() && !a.isInfinite().any();
  }
}
