package dev.regimen.core.distributed;

import java.io.Serializable;

/**
 * One worker's part of a {@code sync: 'average'} round: its shard of each of the round's batches, on which it
 * takes one optimizer step each, from the driver's parameters and optimizer state.
 *
 * @param shard the worker's index
 * @param epoch the epoch
 * @param firstBatch the index in its epoch of the round's first batch
 * @param forwardSeeds each batch's forward seed (see {@link GradientTask#forwardSeed})
 * @param data the shard of each batch ({@code inputs}, {@code targets}), safetensors bytes; an empty array for a
 *     batch too small to have rows for this shard
 * @param indices the shard's rows of each batch
 * @param batchWeights the shard's share of each batch, for the batch's loss
 * @param weight the shard's share of the round's samples, its weight in the average
 * @param learningRate the driver's learning rate
 * @param steps the driver optimizer's step count
 */
public record RoundTask(int shard, int epoch, int firstBatch, long[] forwardSeeds, byte[][] data, int[][] indices,
    double[] batchWeights, double weight, double learningRate, long steps) implements Serializable {
  private static final long serialVersionUID = 1L;
}
