package dev.regimen.core.data;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches over a data set in a fixed order of rows: each batch gathers its rows with one
 * native op per tensor. The last batch may be smaller.
 */
public final class BatchIterator implements Iterator<Batch> {
  private final Dataset data;
  private final int batchSize;
  private final int[] rows;
  private int position;

  BatchIterator(Dataset data, int batchSize, int[] rows) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("The batch size must be at least 1; got " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.rows = rows == null ? identity(data.size()) : rows.clone();
    for (int r : this.rows) {
      if (r < 0 || r >= data.size()) {
        throw new IllegalArgumentException("Row " + r + " is outside the data set's " + data.size() + " rows");
      }
    }
  }

  private static int[] identity(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }

  /** The number of batches in a full pass. */
  public int batchCount() {
    return (rows.length + batchSize - 1) / batchSize;
  }

  /** Skips batches already seen (a resumed run continues mid-epoch). */
  public void skip(int batches) {
    position = Math.min(rows.length, position + batches * batchSize);
  }

  @Override
  public boolean hasNext() {
    return position < rows.length;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int end = Math.min(rows.length, position + batchSize);
    int[] indices = Arrays.copyOfRange(rows, position, end);
    position = end;
    return new Batch(Tensor.of(gather(data.features().array(), indices)),
        Tensor.of(gather(data.targets().array(), indices)), indices);
  }

  static INDArray gather(INDArray source, int[] indices) {
    long[] shape = source.shape().clone();
    shape[0] = indices.length;
    INDArray out = Nd4j.createUninitialized(source.dataType(), shape);
    Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("gather")
        .addInputs(source, Nd4j.createFromArray(indices)).addOutputs(out).addIntegerArguments(0).build());
    return out;
  }
}
