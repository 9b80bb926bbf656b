package dev.regimen.core.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Feature scaling whose statistics come from the training data only and are then applied unchanged to
 * validation and test data, so no information leaks from them into training.
 *
 * <ul>
 *   <li>{@code zscore}: {@code (x - mean) / std}, with the population standard deviation (divided by N,
 *       as scikit-learn's {@code StandardScaler}); a constant feature (its maximum equals its minimum)
 *       gets a std of 1, so it becomes 0 instead of NaN.
 *   <li>{@code minmax}: {@code (x - min) / (max - min)}, which maps the training data onto [0, 1]; a
 *       constant feature gets a range of 1. Other data can fall outside [0, 1]: they are not clipped.
 * </ul>
 *
 * <p>Statistics are per feature for features [N, F], and per channel for images [N, C, H, W] (and any
 * rank above 2: dimension 1 is the channel, all others are reduced), the convention of batch
 * normalization. They are kept in a broadcastable shape ([1, F] or [1, C, 1, 1]) and applied with
 * whole-array ND4J ops. Means and standard deviations are accumulated in double precision over blocks
 * of rows, since float32 sums drift on data sets of millions of values.
 *
 * <p>{@link #zscore()} and {@link #minmax()} give unfitted normalizers; {@link #fit(Dataset)} returns a
 * fitted one. A checkpoint saves {@link #kind()} and {@link #state()} and rebuilds it with
 * {@link #restore(String, Map)}.
 */
public final class Normalizer {
  public static final String ZSCORE = "zscore";
  public static final String MINMAX = "minmax";
  private static final List<String> KINDS = List.of(ZSCORE, MINMAX);
  private static final long BLOCK_ELEMENTS = 1 << 20;

  private final String kind;
  /** The two saved statistics: mean and std for zscore, min and max for minmax; null until fitted. */
  private final INDArray first;
  private final INDArray second;
  /** What is subtracted and what the difference is divided by. */
  private final INDArray shift;
  private final INDArray scale;

  private Normalizer(String kind, INDArray first, INDArray second) {
    this.kind = kind;
    this.first = first;
    this.second = second;
    if (first == null) {
      shift = null;
      scale = null;
    } else if (kind.equals(ZSCORE)) {
      shift = first;
      scale = second;
    } else {
      shift = first;
      scale = onesWhereZero(second.sub(first));
    }
  }

  /** An unfitted z-score normalizer. */
  public static Normalizer zscore() {
    return new Normalizer(ZSCORE, null, null);
  }

  /** An unfitted min-max normalizer. */
  public static Normalizer minmax() {
    return new Normalizer(MINMAX, null, null);
  }

  /** An unfitted normalizer by its kind, "zscore" or "minmax" (as scripts name it). */
  public static Normalizer of(String kind) {
    return new Normalizer(checkKind(kind), null, null);
  }

  /** "zscore" or "minmax". */
  public String kind() {
    return kind;
  }

  public boolean isFitted() {
    return first != null;
  }

  /** A normalizer of the same kind fitted on the training set's features. */
  public Normalizer fit(Dataset train) {
    return fit(train.features().array());
  }

  /** A normalizer of the same kind fitted on training features [N, F] or [N, C, ...]. */
  public Normalizer fit(INDArray train) {
    if (train.rank() < 2 || train.size(0) == 0) {
      throw new DataException("A normalizer fits on features [N, F] or [N, C, H, W] with N > 0; got "
          + Arrays.toString(train.shape()));
    }
    int[] axes = reducedAxes(train.rank());
    INDArray min = train.min(true, axes);
    INDArray max = train.max(true, axes);
    if (kind.equals(MINMAX)) {
      return new Normalizer(kind, min, max);
    }
    INDArray[] meanAndStd = meanAndStd(train);
    INDArray constant = max.eq(min).castTo(train.dataType());
    INDArray std = meanAndStd[1].reshape(min.shape()).castTo(train.dataType()).muli(constant.rsub(1)).addi(constant);
    return new Normalizer(kind, meanAndStd[0].reshape(min.shape()).castTo(train.dataType()), std);
  }

  /**
   * The per-channel mean and population standard deviation [C], in two passes over blocks of rows cast to
   * double: ND4J sums float32 arrays in float32, which put the mean of Fashion-MNIST's 47 million pixels
   * 1% off. A block is at most {@value #BLOCK_ELEMENTS} values, so the extra memory stays small.
   */
  private static INDArray[] meanAndStd(INDArray train) {
    long n = train.size(0);
    long channels = train.size(1);
    long perChannel = train.length() / (n * channels);
    INDArray rows = train.reshape('c', n, channels, perChannel);
    long blockRows = Math.max(1, BLOCK_ELEMENTS / (channels * perChannel));
    INDArray sum = Nd4j.zeros(DataType.DOUBLE, channels);
    for (long start = 0; start < n; start += blockRows) {
      sum.addi(block(rows, start, blockRows).sum(0, 2));
    }
    INDArray mean = sum.divi(n * perChannel);
    INDArray centre = mean.reshape(1, channels, 1);
    INDArray squares = Nd4j.zeros(DataType.DOUBLE, channels);
    for (long start = 0; start < n; start += blockRows) {
      INDArray deviation = block(rows, start, blockRows).sub(centre);
      squares.addi(deviation.muli(deviation).sum(0, 2));
    }
    return new INDArray[] {mean, Transforms.sqrt(squares.divi(n * perChannel), false)};
  }

  /** Rows [start, start + count) of [N, C, S] as a new double array. */
  private static INDArray block(INDArray rows, long start, long count) {
    INDArray view = rows.get(NDArrayIndex.interval(start, Math.min(rows.size(0), start + count)), NDArrayIndex.all(),
        NDArrayIndex.all());
    return view.dataType() == DataType.DOUBLE ? view.dup() : view.castTo(DataType.DOUBLE);
  }

  /** The features normalized; targets are unchanged. */
  public Dataset apply(Dataset data) {
    return data.withFeatures(apply(data.features().array()));
  }

  /** Normalized features (a new array) of the same layout as the training features. */
  public INDArray apply(INDArray features) {
    requireFitted("apply");
    boolean fits = features.rank() == shift.rank();
    for (int d = 1; fits && d < features.rank(); d++) {
      fits = shift.size(d) == 1 || shift.size(d) == features.size(d);
    }
    if (!fits) {
      throw new DataException("This " + kind + " normalizer was fitted on features of shape " + fittedShape()
          + "; it cannot apply to " + Arrays.toString(features.shape()));
    }
    return features.sub(shift.castTo(features.dataType())).divi(scale.castTo(features.dataType()));
  }

  /**
   * What {@link #apply} subtracts, a copy in the broadcastable shape [1, F] or [1, C, 1, 1]: the mean
   * (zscore) or the minimum (minmax). With {@link #scale()}, normalized x = (x - shift) / scale, the form
   * an exported model computes.
   */
  public INDArray shift() {
    requireFitted("shift");
    return shift.dup();
  }

  /** What {@link #apply} divides by, a copy: the std or the range, 1 for a constant feature. */
  public INDArray scale() {
    requireFitted("scale");
    return scale.dup();
  }

  /**
   * The fitted statistics by name, copies in a broadcastable shape: "mean" and "std" (the divisor used,
   * 1 for a constant feature) for zscore, "min" and "max" for minmax.
   */
  public Map<String, INDArray> state() {
    requireFitted("state");
    Map<String, INDArray> state = new LinkedHashMap<>();
    String[] names = names(kind);
    state.put(names[0], first.dup());
    state.put(names[1], second.dup());
    return state;
  }

  /** A fitted normalizer from a {@link #kind()} and a {@link #state()} saved earlier. */
  public static Normalizer restore(String kind, Map<String, INDArray> state) {
    String[] names = names(checkKind(kind));
    INDArray a = state.get(names[0]);
    INDArray b = state.get(names[1]);
    if (a == null || b == null) {
      throw new DataException("A " + kind + " normalizer's state needs '" + names[0] + "' and '" + names[1]
          + "'; got " + state.keySet());
    }
    if (!Arrays.equals(a.shape(), b.shape()) || a.rank() < 2 || a.size(0) != 1) {
      throw new DataException("A " + kind + " normalizer's '" + names[0] + "' and '" + names[1] + "' must share one "
          + "shape [1, F] or [1, C, 1, 1]; got " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
    }
    return new Normalizer(kind, a.dup(), b.dup());
  }

  @Override
  public String toString() {
    return "Normalizer(" + kind + (isFitted() ? ", fitted on " + fittedShape() : ", unfitted") + ")";
  }

  private static int[] reducedAxes(int rank) {
    if (rank == 2) {
      return new int[] {0};
    }
    int[] axes = new int[rank - 1];
    axes[0] = 0;
    for (int d = 2; d < rank; d++) {
      axes[d - 1] = d;
    }
    return axes;
  }

  /** 1 where the value is 0, the value elsewhere. */
  private static INDArray onesWhereZero(INDArray values) {
    INDArray zero = values.eq(0).castTo(values.dataType());
    return values.add(zero);
  }

  private String fittedShape() {
    long[] s = shift.shape();
    StringBuilder b = new StringBuilder("[N");
    for (int d = 1; d < s.length; d++) {
      b.append(", ").append(s[d] == 1 ? "*" : String.valueOf(s[d]));
    }
    return b.append("]").toString();
  }

  private void requireFitted(String what) {
    if (!isFitted()) {
      throw new IllegalStateException("This " + kind + " normalizer is not fitted: call fit(train) before " + what);
    }
  }

  private static String[] names(String kind) {
    return kind.equals(ZSCORE) ? new String[] {"mean", "std"} : new String[] {"min", "max"};
  }

  private static String checkKind(String kind) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("Unknown normalizer '" + kind + "'; known: " + String.join(", ", KINDS));
    }
    return kind;
  }
}
