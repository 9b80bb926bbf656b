package dev.regimen.plugins.normalization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.BatchStatistics;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.CpuKernels;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;

/**
 * Batch normalization (Ioffe and Szegedy 2015, "Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift", ICML): per channel c,
 * y = gamma_c (x - mean_c) / sqrt(var_c + epsilon) + beta_c.
 *
 * <p>Channels are the first per-sample axis: the features of dense input [N, F], the channels of
 * convolutional input [N, C, H, W] (and of [N, C, L]); the statistics are taken over the batch and
 * every other axis. In training, mean_c and var_c are the batch's, var_c the biased (population)
 * variance, and gradients flow through them. At evaluation they are the running statistics, so an
 * output depends on its own sample only. This is PyTorch's {@code BatchNorm1d}/{@code 2d}.
 *
 * <p>Running statistics, {@code running_mean} (zeros) and {@code running_var} (ones), are buffers:
 * not trained, saved in checkpoints. A training pass that may update state ({@link
 * ForwardContext#updatesState()}) moves them by PyTorch's convention, running = (1 - momentum)
 * running + momentum batch, so {@code momentum} is the weight of the NEW batch; Keras' {@code
 * momentum} is the weight of the old value (Keras 0.99 is PyTorch 0.01). As in PyTorch, the running
 * variance takes the unbiased batch variance, var_c k / (k - 1) for k values per channel, while the
 * batch itself is normalized with the biased one. A training batch needs more than one value per
 * channel.
 *
 * <p>Exact statistics ({@link BatchStatistics}): between {@link #beginExactStatistics()} and {@link
 * #endExactStatistics()}, updating passes no longer move the running statistics; instead the layer
 * pools the exact mean and variance of every value it sees, as if all batches had been one (see
 * {@code PooledMoments}), and the end installs that mean and its unbiased variance. These are the
 * population statistics that "precise BN" estimates (Wu and Johnson 2021, "Rethinking 'Batch' in
 * BatchNorm"; the remedy of Li et al. 2019 for running statistics that saw dropout or lag behind
 * the weights), exact for the data seen, the spread between batch means included. Precise BN's
 * reference code averages per-batch means and variances with equal weights instead, which
 * estimates the same quantities. {@link dev.regimen.api.nn.PreciseBatchNorm} drives this.
 *
 * <p>Options: {@code momentum} (0.1, in [0, 1]), {@code epsilon} (1e-5, positive, added to the
 * variance), {@code affine} (true: a scale {@code gamma}, ones, and a shift {@code beta}, zeros, per
 * channel; both trainable, neither a weight, so decay leaves them alone). Forward and backward run
 * through libnd4j's fused ops (see {@code FusedNorm}).
 *
 * <p>Ghost batch norm, {@code batchnorm.ghost} (Hoffer, Hubara and Soudry 2017, "Train longer,
 * generalize better: closing the generalization gap in large batch training of neural networks",
 * NIPS, section 4): in training the batch of N samples is split into G = ceil(N / B) virtual
 * ("ghost") batches of ceil(N / G) consecutive samples (the last may be smaller; PyTorch's {@code
 * chunk}), and each is normalized with its own statistics,
 * <pre>  y = gamma (x - mean_g) / sqrt(var_g + epsilon) + beta   for x in ghost batch g,</pre>
 * so a large batch keeps the noise of the small batch size B that its statistics would have had,
 * which the paper finds closes part of the large-batch generalization gap. Each ghost batch moves the
 * running statistics as a batch would (G updates per step, as the paper's reference code). At
 * evaluation nothing differs from {@code batchnorm}: the running statistics, the same ONNX form. A
 * batch of at most B samples is one ghost batch, plain batch norm. Option {@code virtual_batch_size}
 * (required, at least 2; the paper uses 128, a small fraction of its large batches) besides the
 * others.
 */
public final class BatchNorm extends AbstractLayer implements BatchStatistics, OnnxLayer {
  public static final String NAME = "batchnorm";
  public static final String GHOST = "batchnorm.ghost";

  private final double momentum;
  private final double epsilon;
  private final boolean affine;
  /** The samples per ghost batch; 0 for the whole batch. */
  private final int virtualBatchSize;
  private Tensor gamma;
  private Tensor beta;
  private Tensor runningMean;
  private Tensor runningVar;
  private PooledMoments exact;

  public BatchNorm(Options options) {
    this(NAME, options, 0);
  }

  private BatchNorm(String type, Options options, int virtualBatchSize) {
    super(type, options);
    this.virtualBatchSize = virtualBatchSize;
    this.momentum = options.getDouble("momentum");
    this.epsilon = options.getDouble("epsilon");
    this.affine = options.getBoolean("affine");
    options.check(epsilon > 0, "epsilon must be positive. Received: epsilon=" + epsilon);
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    Checks.requireRankAtLeast(describe(), inputShape, 1, "[features] or [C, H, W]");
    return inputShape.clone();
  }

  @Override
  protected void onBuild(long[] inputShape, Rng rng) {
    long channels = inputShape[0];
    if (affine) {
      gamma = addParameter("gamma", Nd4j.ones(Tensor.defaultType(), channels));
      beta = addParameter("beta", Nd4j.zeros(Tensor.defaultType(), channels));
    }
    runningMean = addBuffer("running_mean", Nd4j.zeros(Tensor.defaultType(), channels));
    runningVar = addBuffer("running_var", Nd4j.ones(Tensor.defaultType(), channels));
  }

  @Override
  public boolean isWeight(String localName) {
    return false;
  }

  @Override
  protected Tensor call(Tensor input, ForwardContext ctx) {
    Checks.requireType(describe(), input, runningMean);
    if (!ctx.training()) {
      return FusedNorm.normalizeWithFixedStatistics(input, runningMean.array(), runningVar.array(), gamma, beta,
          epsilon);
    }
    long n = input.size(0);
    if (virtualBatchSize == 0 || n <= virtualBatchSize) {
      return normalizeBatch(input, ctx);
    }
    long ghosts = (n + virtualBatchSize - 1) / virtualBatchSize;
    long size = (n + ghosts - 1) / ghosts;
    List<Tensor> parts = new ArrayList<>();
    for (long start = 0; start < n; start += size) {
      parts.add(normalizeBatch(input.slice(0, start, Math.min(n, start + size)), ctx));
    }
    return Tensor.concat(0, parts);
  }

  /** Normalizes a (ghost) batch with its own statistics, moving the running ones if the pass may. */
  private Tensor normalizeBatch(Tensor input, ForwardContext ctx) {
    long perChannel = input.length() / input.size(FusedNorm.CHANNEL_AXIS);
    if (perChannel < 2) {
      throw new IllegalArgumentException(describe() + " needs more than one value per channel in training and got"
          + (virtualBatchSize == 0 ? "" : " a ghost batch of") + " input " + Arrays.toString(input.shape())
          + "; use a batch of at least 2");
    }
    FusedNorm.Normalized normalized = FusedNorm.normalizeWithBatchStatistics(input, gamma, beta, epsilon);
    if (ctx.updatesState()) {
      update(normalized.mean(), normalized.var(), perChannel);
    }
    return normalized.output();
  }

  /** Moves the running statistics towards a batch's, or pools the batch's while exact statistics are on. */
  private void update(INDArray mean, INDArray biasedVar, long perChannel) {
    if (exact != null) {
      exact.add(mean, biasedVar, perChannel);
      return;
    }
    double unbias = (double) perChannel / (perChannel - 1);
    INDArray rm = runningMean.array();
    INDArray rv = runningVar.array();
    if (loopServes(rm, rv, mean, biasedVar)) {
      // Float32 on the CPU: one loop over the channels instead of six small native ops.
      int c = (int) rm.length();
      float[] m = CpuKernels.read(rm, new float[c]);
      float[] v = CpuKernels.read(rv, new float[c]);
      float[] bm = CpuKernels.read(mean, new float[c]);
      float[] bv = CpuKernels.read(biasedVar, new float[c]);
      float keep = (float) (1 - momentum);
      float take = (float) momentum;
      float scale = (float) unbias;
      for (int i = 0; i < c; i++) {
        m[i] = m[i] * keep + bm[i] * take;
        v[i] = v[i] * keep + bv[i] * scale * take;
      }
      CpuKernels.write(m, rm);
      CpuKernels.write(v, rv);
      return;
    }
    INDArray unbiased = biasedVar.mul(unbias);
    rm.muli(1 - momentum).addi(mean.mul(momentum));
    rv.muli(1 - momentum).addi(unbiased.muli(momentum));
  }

  /** Whether the running statistics' update can run as a Java loop: float32, dense, on the CPU. */
  private static boolean loopServes(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a.dataType() != DataType.FLOAT || !CpuKernels.serves(a) || !CpuKernels.isDense(a)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void beginExactStatistics() {
    exact = new PooledMoments();
  }

  /** Installs the pooled statistics; a layer that saw no updating pass since the beginning keeps its running ones. */
  @Override
  public void endExactStatistics() {
    PooledMoments pooled = exact;
    exact = null;
    if (pooled == null || pooled.count() == 0) {
      return;
    }
    runningMean.array().assign(pooled.mean());
    runningVar.array().assign(pooled.unbiasedVariance());
  }

  /**
   * {@code BatchNormalization} in inference mode, with the running statistics; without affine, a scale of
   * ones and a shift of zeros.
   */
  @Override
  public String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    long channels = inputShape[0];
    String scale = graph.constant(name() + ".gamma", affine ? gamma.array() : Nd4j.ones(Tensor.defaultType(), channels));
    String shift = graph.constant(name() + ".beta", affine ? beta.array() : Nd4j.zeros(Tensor.defaultType(), channels));
    return graph.node("BatchNormalization", List.of(input, scale, shift,
        graph.constant(name() + ".running_mean", runningMean.array()),
        graph.constant(name() + ".running_var", runningVar.array())), Map.of("epsilon", epsilon));
  }

  /** Makes {@code batchnorm}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Layer> {
    public Factory() {
      super(ComponentKind.LAYER, NAME,
          "Batch normalization over the batch (and H, W) per channel: y = gamma (x - mean) / sqrt(var + epsilon) + beta;"
              + " batch statistics in training, running ones at evaluation",
          optionSpecs());
    }

    /** The options of both batch norms, after the {@code first} of one. */
    static List<OptionSpec> optionSpecs(OptionSpec... first) {
      List<OptionSpec> all = new ArrayList<>(List.of(first));
      all.add(OptionSpec.of("momentum", OptionType.DOUBLE, 0.1,
          "weight of the new batch in the running statistics (PyTorch's convention; Keras' 0.99 is 0.01 here)")
          .range(0, 1));
      all.add(OptionSpec.of("epsilon", OptionType.DOUBLE, 1e-5, "added to the variance before the square root")
          .atLeast(0));
      all.add(OptionSpec.of("affine", OptionType.BOOLEAN, true, "whether to learn a scale gamma and shift beta per channel"));
      return all;
    }

    @Override
    public Layer create(Options options) {
      return new BatchNorm(options);
    }
  }

  /** Makes {@code batchnorm.ghost}. */
  @Extension
  public static final class GhostFactory extends AbstractComponentFactory<Layer> {
    public GhostFactory() {
      super(ComponentKind.LAYER, GHOST,
          "Ghost batch normalization (Hoffer et al. 2017): batch norm in training over virtual batches of"
              + " virtual_batch_size samples, each with its own statistics; running statistics at evaluation",
          Factory.optionSpecs(OptionSpec.required("virtual_batch_size", OptionType.INT,
              "samples per ghost batch (the paper's 128); a training batch is split into ceil(N / size) of them")
              .atLeast(2)));
    }

    @Override
    public Layer create(Options options) {
      return new BatchNorm(GHOST, options, options.getInt("virtual_batch_size"));
    }
  }
}
