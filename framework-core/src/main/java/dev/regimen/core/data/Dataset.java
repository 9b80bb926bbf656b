package dev.regimen.core.data;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An in-memory data set: features [N, ...] and targets, which are class labels [N] (stored as
 * floats, with {@link #numClasses()} &gt; 0) or regression values [N, D] ({@code numClasses() == 0}).
 * Validation happens once, at construction: there must be samples, counts must agree, values must be
 * finite, and labels must be whole numbers in [0, numClasses). Plugins see it as the API's {@link Samples}.
 */
public final class Dataset implements Samples {
  private final Tensor features;
  private final Tensor targets;
  private final int numClasses;

  private Dataset(Tensor features, Tensor targets, int numClasses) {
    this.features = features;
    this.targets = targets;
    this.numClasses = numClasses;
  }

  /** A classification set; {@code labels} holds N class indices. */
  public static Dataset classification(INDArray features, INDArray labels, int numClasses) {
    if (numClasses < 2) {
      throw new DataException("A classification set needs at least 2 classes; got numClasses=" + numClasses);
    }
    checkNotEmpty(features);
    INDArray flatLabels = labels.reshape(labels.length()).castTo(features.dataType());
    checkCounts(features, flatLabels);
    checkFinite("features", features);
    checkFinite("labels", flatLabels);
    double min = flatLabels.minNumber().doubleValue();
    double max = flatLabels.maxNumber().doubleValue();
    if (min < 0 || max >= numClasses) {
      long bad = min < 0 ? flatLabels.neg().argMax().getLong(0) : flatLabels.argMax().getLong(0);
      throw new DataException("Label " + flatLabels.getDouble(bad) + " at row " + bad + " is outside the "
          + numClasses + " classes [0, " + (numClasses - 1) + "]");
    }
    INDArray fractional = flatLabels.sub(Nd4j.math().floor(flatLabels.dup()));
    if (fractional.amaxNumber().doubleValue() > 0) {
      long bad = fractional.argMax().getLong(0);
      throw new DataException("Label " + flatLabels.getDouble(bad) + " at row " + bad + " is not a class index");
    }
    return new Dataset(Tensor.of(features), Tensor.of(flatLabels), numClasses);
  }

  /** A regression set; targets of shape [N] become [N, 1]. */
  public static Dataset regression(INDArray features, INDArray targets) {
    checkNotEmpty(features);
    INDArray t = targets.rank() == 1 ? targets.reshape(targets.length(), 1) : targets;
    checkCounts(features, t);
    checkFinite("features", features);
    checkFinite("targets", t);
    return new Dataset(Tensor.of(features), Tensor.of(t.castTo(features.dataType())), 0);
  }

  private static void checkCounts(INDArray features, INDArray targets) {
    if (features.rank() < 2 || features.size(0) != targets.size(0)) {
      throw new DataException("Features " + Arrays.toString(features.shape()) + " and targets "
          + Arrays.toString(targets.shape()) + " must have the same number of rows");
    }
  }

  private static void checkNotEmpty(INDArray features) {
    if (features.rank() == 0 || features.size(0) == 0 || features.length() == 0) {
      throw new DataException("A data set needs at least one sample with at least one feature; got features of shape "
          + Arrays.toString(features.shape()));
    }
  }

  private static void checkFinite(String what, INDArray values) {
    // One pass for the common case: a sum is finite only if every term is (or it overflowed: then the
    // exact check below decides).
    if (Double.isFinite(values.sumNumber().doubleValue())) {
      return;
    }
    INDArray bad = values.isInfinite().castTo(org.nd4j.linalg.api.buffer.DataType.INT8)
        .addi(values.isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT8));
    if (bad.sumNumber().longValue() > 0) {
      long flat = bad.reshape(bad.length()).argMax().getLong(0);
      long row = values.rank() > 1 ? flat / (values.length() / values.size(0)) : flat;
      throw new DataException("The " + what + " hold a non-finite value (" + values.reshape(values.length())
          .getDouble(flat) + ") in row " + row);
    }
  }

  @Override
  public Tensor features() {
    return features;
  }

  @Override
  public Tensor targets() {
    return targets;
  }

  /** The number of classes, or 0 for a regression set. */
  public int numClasses() {
    return numClasses;
  }

  public boolean isClassification() {
    return numClasses > 0;
  }

  @Override
  public int size() {
    return (int) features.size(0);
  }

  /** The shape of one sample's features, e.g. [64] or [1, 8, 8]. */
  @Override
  public long[] sampleShape() {
    long[] s = features.shape();
    return Arrays.copyOfRange(s, 1, s.length);
  }

  /** The class labels as ints (classification only). */
  public int[] labels() {
    if (!isClassification()) {
      throw new IllegalStateException("A regression set has no class labels");
    }
    return targets.array().toIntVector();
  }

  /** The rows at the given indices, in that order (a copy). */
  @Override
  public Dataset subset(int[] indices) {
    return new Dataset(Tensor.of(BatchIterator.gather(features.array(), indices)),
        Tensor.of(BatchIterator.gather(targets.array(), indices)), numClasses);
  }

  /**
   * The first {@code n} samples (all of them when there are fewer), as a view: the rows share this
   * set's memory, so taking a head of a large set costs nothing (a {@link #subset} copies).
   */
  public Dataset head(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("head(n) takes n >= 1; got n=" + n);
    }
    if (n >= size()) {
      return this;
    }
    return new Dataset(Tensor.of(firstRows(features.array(), n)), Tensor.of(firstRows(targets.array(), n)),
        numClasses);
  }

  private static INDArray firstRows(INDArray a, int n) {
    INDArrayIndex[] index = new INDArrayIndex[a.rank()];
    index[0] = NDArrayIndex.interval(0, n);
    for (int d = 1; d < index.length; d++) {
      index[d] = NDArrayIndex.all();
    }
    return a.get(index);
  }

  /** The same samples with features viewed in another per-sample shape (e.g. [64] as [1, 8, 8]). */
  public Dataset reshape(long... sampleShape) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = size();
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return new Dataset(features.reshape(shape), targets, numClasses);
  }

  /**
   * The same samples and targets with other features (a normalizer's output, an embedding); they are
   * checked like a new set's: one row per sample, finite values.
   */
  public Dataset withFeatures(INDArray newFeatures) {
    checkCounts(newFeatures, targets.array());
    checkFinite("features", newFeatures);
    return new Dataset(Tensor.of(newFeatures), targets, numClasses);
  }

  /** A train/validation split. */
  public record Split(Dataset train, Dataset validation) {}

  /**
   * Splits off a validation fraction at random; for classification the split is stratified, so each
   * class keeps its proportion in both parts (rounded per class).
   */
  public Split split(double validationFraction, Rng rng) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("The validation fraction must be in (0, 1); got " + validationFraction);
    }
    List<Integer> trainRows = new ArrayList<>();
    List<Integer> validationRows = new ArrayList<>();
    if (isClassification()) {
      int[] labels = labels();
      for (int c = 0; c < numClasses; c++) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
          if (labels[i] == c) {
            rows.add(i);
          }
        }
        splitRows(rows, validationFraction, rng, trainRows, validationRows);
      }
    } else {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < size(); i++) {
        rows.add(i);
      }
      splitRows(rows, validationFraction, rng, trainRows, validationRows);
    }
    if (trainRows.isEmpty() || validationRows.isEmpty()) {
      throw new IllegalArgumentException("A fraction of " + validationFraction + " held out of " + size()
          + " rows leaves " + (validationRows.isEmpty() ? "no row to hold out" : "no row to train on")
          + (isClassification() ? " (the split is stratified: each of the " + numClasses
              + " classes is rounded on its own)" : "")
          + "; choose a fraction that leaves rows on both sides, or give more data");
    }
    return new Split(subset(sorted(trainRows)), subset(sorted(validationRows)));
  }

  private static void splitRows(List<Integer> rows, double fraction, Rng rng, List<Integer> train, List<Integer> val) {
    int[] order = rng.permutation(rows.size());
    long nVal = Math.round(rows.size() * fraction);
    for (int i = 0; i < order.length; i++) {
      (i < nVal ? val : train).add(rows.get(order[i]));
    }
  }

  private static int[] sorted(List<Integer> rows) {
    return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** Batches in a seeded random order (or in order when {@code rng} is null); the last may be smaller. */
  public BatchIterator batches(int batchSize, Rng rng) {
    return new BatchIterator(this, batchSize, rng == null ? null : rng.permutation(size()));
  }

  /** Batches over the given rows in the given order (curriculum learning chooses them). */
  public BatchIterator batches(int batchSize, int[] rows) {
    return new BatchIterator(this, batchSize, rows);
  }

  @Override
  public String toString() {
    return "Dataset(" + size() + " samples of " + Arrays.toString(sampleShape())
        + (isClassification() ? ", " + numClasses + " classes)" : ", regression)");
  }
}
