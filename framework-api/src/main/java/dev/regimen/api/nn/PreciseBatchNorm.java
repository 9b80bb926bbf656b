package dev.regimen.api.nn;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Re-estimates the running statistics of every batch-statistics layer of a model (batch norm) from
 * one pass over training data: "precise BN" (Wu and Johnson 2021, "Rethinking 'Batch' in
 * BatchNorm"), the remedy of Li et al. 2019 ("Understanding the Disharmony between Dropout and
 * Batch Normalization by Variance Shift") for statistics that were gathered with dropout active or
 * that lag behind the weights of the last steps.
 *
 * <p>The pass runs in training mode with sampling off ({@code
 * ForwardContext.training(rng).withSampling(false)}): every batch-statistics layer normalizes with
 * its batch's statistics, as in training, and every dropout-family layer is the identity, as at
 * inference. Each {@link BatchStatistics} layer pools the exact mean and variance of all values it
 * sees ({@link BatchStatistics#beginExactStatistics()}) and installs them at the end ({@link
 * BatchStatistics#endExactStatistics()}); see the normalization plugin's {@code BatchNorm} for what
 * is installed. A layer that
 * the pass never reaches (a head off the path of these inputs) keeps its running statistics.
 * Nothing is trained; no graph is recorded. If the pass fails, every layer gets its previous
 * statistics back.
 *
 * <p>It is part of the API, beside {@link BatchStatistics}, so that every plugin re-estimates the same
 * way (stochastic weight averaging's statistics pass is this one) without depending on the plugin
 * that has the batch-norm layer. It takes input batches, not a {@code Dataset}, so that it needs
 * nothing from the framework's core. From a dataset: {@code PreciseBatchNorm.reestimate(model,
 * train.features(), 64, new Rng(seed))}.
 */
public final class PreciseBatchNorm {
  private PreciseBatchNorm() {}

  /**
   * Re-estimates from every sample of {@code features} [N, ...], in shuffled batches of {@code
   * batchSize} ({@link #batches}); the shuffle matters only to layers after the first batch norm.
   *
   * @return the number of batch-statistics layers re-estimated
   */
  public static int reestimate(Layer model, Tensor features, int batchSize, Rng rng) {
    return reestimate(model, batches(features, batchSize, rng.fork("precise_bn:shuffle")), rng.fork("precise_bn:pass"));
  }

  /** Re-estimates from these input batches, with a fixed random stream (the pass draws no noise). */
  public static int reestimate(Layer model, Iterable<Tensor> inputs) {
    return reestimate(model, inputs, new Rng(0));
  }

  /**
   * Re-estimates from these input batches; each batch is one training-mode pass without sampling.
   *
   * @return the number of batch-statistics layers re-estimated; 0, without a pass, if there are none
   * @throws IllegalArgumentException if there is no batch
   */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  public static int reestimate(Layer model, Iterable<Tensor> inputs, Rng rng) {
    List<BatchStatistics> layers = new ArrayList<>();
    for (Layer layer : Layers.all(model)) {
      if (layer instanceof BatchStatistics statistics) {
        layers.add(statistics);
      }
    }
    Iterator<Tensor> batches = inputs.iterator();
    if (!batches.hasNext()) {
      throw new IllegalArgumentException("Precise batch-norm re-estimation needs at least one batch of inputs; got none");
    }
    if (layers.isEmpty()) {
      return 0;
    }
    Map<Tensor, INDArray> saved = new LinkedHashMap<>();
    for (BatchStatistics layer : layers) {
      layer.buffers().values().forEach(buffer -> saved.put(buffer, buffer.array().dup()));
    }
    layers.forEach(BatchStatistics::beginExactStatistics);
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      for (long k = 0; batches.hasNext(); k++) {
        model.forward(batches.next(), ForwardContext.training(rng.fork(k)).withSampling(false));
      }
    } catch (RuntimeException | Error e) {
      layers.forEach(BatchStatistics::endExactStatistics);
      saved.forEach((buffer, values) -> buffer.array().assign(values));
      throw e;
    }
    layers.forEach(BatchStatistics::endExactStatistics);
    return layers.size();
  }

  /**
   * The rows of {@code features} [N, ...] in batches of {@code batchSize}, in an order shuffled by
   * {@code rng}, every row exactly once. A last batch of a single row is merged into the one before,
   * because batch norm cannot take a dense batch of one in training; for the same reason {@code
   * batchSize} must be at least 2.
   */
  public static Iterable<Tensor> batches(Tensor features, int batchSize, Rng rng) {
    if (batchSize < 2) {
      throw new IllegalArgumentException("batchSize must be at least 2 for batch statistics. Received: batchSize="
          + batchSize);
    }
    int n = Math.toIntExact(features.size(0));
    int[] order = rng.permutation(n);
    List<int[]> bounds = new ArrayList<>();
    for (int start = 0; start < n; ) {
      int end = Math.min(n, start + batchSize);
      if (n - end == 1) {
        end = n;
      }
      bounds.add(new int[] {start, end});
      start = end;
    }
    Tensor constant = features.detach();
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < bounds.size();
      }

      @Override
      public Tensor next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int[] b = bounds.get(next++);
        int[] rows = new int[b[1] - b[0]];
        System.arraycopy(order, b[0], rows, 0, rows.length);
        return constant.gather(0, rows);
      }
    };
  }
}
