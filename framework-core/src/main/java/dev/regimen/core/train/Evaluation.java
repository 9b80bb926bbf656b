package dev.regimen.core.train;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.StepMemory;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.data.BatchIterator;
import dev.regimen.core.data.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Evaluation and prediction in evaluation mode, without recording ops. */
public final class Evaluation {
  private Evaluation() {}

  /**
   * The mean loss (weighted by batch size) and every metric over a data set.
   *
   * @return {@code loss} and each metric's name, in that order
   */
  public static Map<String, Double> evaluate(Layer model, Dataset data, Objective objective, List<Metric> metrics,
      int batchSize) {
    Map<String, Double> out = new LinkedHashMap<>();
    double lossSum = 0;
    for (Metric m : metrics) {
      m.reset();
    }
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      BatchIterator it = data.batches(batchSize, (Rng) null);
      while (it.hasNext()) {
        try (StepMemory.Scope scope = StepMemory.open("eval")) {
          Batch batch = it.next();
          Tensor output = model.forward(batch.inputs(), ForwardContext.evaluation());
          if (objective != null) {
            lossSum += objective.loss(output, batch.targets(), ObjectiveContext.of(batch)).item() * batch.size();
          }
          for (Metric m : metrics) {
            m.update(output, batch.targets());
          }
        }
      }
    }
    if (objective != null) {
      out.put("loss", lossSum / data.size());
    }
    for (Metric m : metrics) {
      out.put(m.name(), m.value());
    }
    return out;
  }

  /** The model's outputs for every row of {@code features} [N, ...], in evaluation mode. */
  public static INDArray predict(Layer model, INDArray features, int batchSize) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return forwardInBatches(model, features, batchSize, start -> ForwardContext.evaluation());
    }
  }

  /**
   * The outputs for every row of {@code features}, batch by batch, each batch in its own step scope
   * and its output copied out of it; {@code contextAt} gives the context of the batch that starts at
   * a row.
   */
  private static INDArray forwardInBatches(Layer model, INDArray features, int batchSize,
      LongFunction<ForwardContext> contextAt) {
    List<INDArray> parts = new ArrayList<>();
    for (long start = 0; start < features.size(0); start += batchSize) {
      long end = Math.min(features.size(0), start + batchSize);
      try (StepMemory.Scope scope = StepMemory.open("eval")) {
        Tensor x = Tensor.of(features).slice(0, start, end);
        parts.add(StepMemory.keep(model.forward(x, contextAt.apply(start)).array()));
      }
    }
    return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
  }

  /**
   * Monte Carlo dropout (Gal &amp; Ghahramani 2016): {@code samples} stochastic forward passes with
   * dropout-family layers sampling and everything else in evaluation mode; returns the predictive
   * mean and the per-output variance over the passes.
   */
  public static McPrediction predictMonteCarlo(Layer model, INDArray features, int samples, int batchSize, Rng rng) {
    if (samples < 2) {
      throw new IllegalArgumentException("Monte Carlo prediction needs at least 2 samples. Received: samples=" + samples);
    }
    // Welford's online update: exact zero variance for a deterministic model, never negative.
    INDArray mean = null;
    INDArray m2 = null;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (int s = 0; s < samples; s++) {
        Rng passRng = rng.fork(s);
        INDArray y = forwardInBatches(model, features, batchSize, start -> ForwardContext.sampling(passRng.fork(start)));
        if (mean == null) {
          mean = y.dup();
          m2 = Nd4j.zerosLike(y);
        } else {
          INDArray delta = y.sub(mean);
          mean.addi(delta.div(s + 1));
          m2.addi(delta.muli(y.sub(mean)));
        }
      }
    }
    INDArray variance = m2.divi(samples);
    return new McPrediction(mean, variance);
  }

  /** The predictive mean and variance of Monte Carlo dropout, each shaped like one forward pass's output. */
  public record McPrediction(INDArray mean, INDArray variance) {}
}
