package dev.regimen.core.distributed;

import dev.regimen.core.checkpoint.Safetensors;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sum of some workers' {@link Workers#gradients} results: what a tree aggregate carries up and hands the
 * driver. Gradients and the loss are summed (each worker weighted its own by its share of the batch, so the
 * sum is the batch's); the model outputs (for the metrics) and the buffers (batch norm's running statistics) are
 * kept per shard, for the driver to put in batch order and to average.
 *
 * @param gradients the weighted sum of the gradients by parameter name, safetensors bytes; {@code null} for
 *     the empty sum
 * @param loss the weighted sum of the workers' mean losses
 * @param outputs each shard's model outputs, safetensors bytes under {@code output}
 * @param buffers each shard's buffers after its forward pass, safetensors bytes
 * @param weights each shard's weight
 */
public record GradientSum(byte[] gradients, double loss, TreeMap<Integer, byte[]> outputs,
    TreeMap<Integer, byte[]> buffers, TreeMap<Integer, Double> weights) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The sum of nothing: the zero of a tree aggregate. */
  public static GradientSum empty() {
    return new GradientSum(null, 0, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  /** This sum plus another (of other shards); neither is changed. */
  public GradientSum merge(GradientSum other) {
    if (gradients == null) {
      return other;
    }
    if (other.gradients == null) {
      return this;
    }
    TreeMap<Integer, byte[]> o = new TreeMap<>(outputs);
    o.putAll(other.outputs);
    TreeMap<Integer, byte[]> b = new TreeMap<>(buffers);
    b.putAll(other.buffers);
    TreeMap<Integer, Double> w = new TreeMap<>(weights);
    w.putAll(other.weights);
    return new GradientSum(add(gradients, other.gradients, "gradients"), loss + other.loss, o, b, w);
  }

  /** The element-wise sum of two sets of named arrays (a name in one only is kept as it is), as bytes. */
  static byte[] add(byte[] a, byte[] b, String what) {
    Map<String, INDArray> left = Safetensors.decode(a, "the summed " + what);
    Map<String, INDArray> right = Safetensors.decode(b, "the summed " + what);
    // A worker whose loss was not finite sends no gradients; the driver stops on its loss anyway.
    Map<String, INDArray> sum = new LinkedHashMap<>(left);
    right.forEach((name, array) -> sum.merge(name, array, INDArray::addi));
    byte[] out = Safetensors.encode(sum);
    Workers.release(left.values());
    Workers.release(right.values());
    return out;
  }
}
