package dev.regimen.core.distributed;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * The sum of some workers' {@link Workers#localSteps} results. Parameters and optimizer state (under
 * {@code optimizer.}) are summed, each worker having weighted its own by its share of the round, so the sum is
 * their average; each batch's loss is summed likewise; outputs and buffers are kept per shard.
 *
 * @param parameters the weighted sum of parameters and optimizer state, safetensors bytes; {@code null} for the
 *     empty sum
 * @param losses the weighted sum of each batch's loss
 * @param outputs each shard's model outputs of each batch, safetensors bytes under {@code b0}, {@code b1}, ...
 * @param buffers each shard's buffers after its last step
 * @param weights each shard's weight in the round
 */
public record ParameterSum(byte[] parameters, double[] losses, TreeMap<Integer, byte[]> outputs,
    TreeMap<Integer, byte[]> buffers, TreeMap<Integer, Double> weights) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The sum of nothing. */
  public static ParameterSum empty() {
    return new ParameterSum(null, new double[0], new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  /** This sum plus another (of other shards). */
  public ParameterSum merge(ParameterSum other) {
    if (parameters == null) {
      return other;
    }
    if (other.parameters == null) {
      return this;
    }
    double[] l = losses.clone();
    for (int i = 0; i < l.length; i++) {
      l[i] += other.losses[i];
    }
    TreeMap<Integer, byte[]> o = new TreeMap<>(outputs);
    o.putAll(other.outputs);
    TreeMap<Integer, byte[]> b = new TreeMap<>(buffers);
    b.putAll(other.buffers);
    TreeMap<Integer, Double> w = new TreeMap<>(weights);
    w.putAll(other.weights);
    return new ParameterSum(GradientSum.add(parameters, other.parameters, "parameters"), l, o, b, w);
  }
}
