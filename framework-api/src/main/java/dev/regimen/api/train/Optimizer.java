package dev.regimen.api.train;

import dev.regimen.api.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates parameters in place from their gradients. Per-parameter state (momentum, moment
 * estimates) is keyed by the parameter's model-wide name, so a checkpoint restores it exactly.
 */
public interface Optimizer {

  /** One update of every parameter that has a gradient; runs without recording ops. */
  void step(List<Parameter> parameters);

  double learningRate();

  void setLearningRate(double lr);

  /** The number of steps taken. */
  long steps();

  /** Every state array, named {@code <parameter>.<slot>}. */
  Map<String, INDArray> state();

  /** Restores state saved by {@link #state()} together with the step count. */
  void loadState(Map<String, INDArray> state, long steps);
}
