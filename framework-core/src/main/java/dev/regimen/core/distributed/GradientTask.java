package dev.regimen.core.distributed;

import java.io.Serializable;

/**
 * One worker's part of a {@code sync: 'gradients'} step: its contiguous shard of the batch.
 *
 * @param shard the worker's index, 0 for the first rows of the batch
 * @param epoch the epoch, for the loss's context
 * @param batch the batch's index in its epoch, for messages and test hooks
 * @param forwardSeed the seed of the batch's forward stream ({@code seed -> "batch" -> e -> b -> "forward"}); the
 *     worker forks {@code "worker" -> shard} from it, so that each worker draws its own dropout masks
 * @param weight the shard's share of the batch, {@code n / N}: the weight of its mean loss in the batch's
 * @param data the shard's {@code inputs} and {@code targets}, safetensors bytes
 * @param indices the shard's rows in the data set, as the batch names them
 */
public record GradientTask(int shard, int epoch, int batch, long forwardSeed, double weight, byte[] data,
    int[] indices) implements Serializable {
  private static final long serialVersionUID = 1L;
}
