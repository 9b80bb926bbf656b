package dev.regimen.api.tensor;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.BaseRandomOp;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded, counter-based random source: the same seed gives the same numbers on every run and
 * every machine with the same ND4J build.
 *
 * <p>Its whole state is two numbers, the seed and a counter of draws, so a checkpoint can save it and
 * a resumed run continue the same stream ({@link #position()}, {@link #seek(long)}). Each draw uses
 * a fresh generator seeded with a SplitMix64 hash of (seed, counter); arrays are filled by ND4J's
 * native generator, scalars by {@link SplittableRandom}. {@link #fork(String)} derives an
 * independent stream for one purpose (initialization, dropout, shuffling) so that adding a
 * consumer of randomness in one place does not shift the numbers everywhere else.
 */
public final class Rng {
  private final long seed;
  private long counter;

  public Rng(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** How many draws have been made: with the seed, the whole state. */
  public long position() {
    return counter;
  }

  /** Moves to a position saved earlier by {@link #position()}. */
  public void seek(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("Rng position must not be negative; got " + position);
    }
    this.counter = position;
  }

  /** An independent stream named by its purpose; the same purpose gives the same stream. */
  public Rng fork(String purpose) {
    return new Rng(mix(seed ^ mix(fnv1a(purpose))));
  }

  /** An independent stream numbered by an index (one per epoch, per layer, ...). */
  public Rng fork(long index) {
    return new Rng(mix(seed + 0x632BE59BD9B4E019L * (index + 1)));
  }

  /** Standard-normal draws scaled to the given mean and standard deviation. */
  public INDArray normal(DataType type, double mean, double std, long... shape) {
    INDArray out = Nd4j.createUninitialized(type, shape);
    fill(new GaussianDistribution(out, mean, std));
    return out;
  }

  /** Uniform draws in [low, high). */
  public INDArray uniform(DataType type, double low, double high, long... shape) {
    INDArray out = Nd4j.createUninitialized(type, shape);
    fill(new UniformDistribution(out, low, high));
    return out;
  }

  /** 1 with probability {@code p}, 0 otherwise. */
  public INDArray bernoulli(DataType type, double p, long... shape) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("bernoulli: p must be in [0, 1]; got " + p);
    }
    INDArray out = Nd4j.createUninitialized(type, shape);
    fill(new BernoulliDistribution(out, p));
    return out;
  }

  /** A uniform integer in [0, bound). */
  public int nextInt(int bound) {
    return scalarRandom().nextInt(bound);
  }

  /** A uniform double in [0, 1). */
  public double nextDouble() {
    return scalarRandom().nextDouble();
  }

  /** A standard-normal double. */
  public double nextGaussian() {
    SplittableRandom r = scalarRandom();
    // Box-Muller: SplittableRandom has no Gaussian before Java 17's RandomGenerator default; this is explicit.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  public int[] permutation(int n) {
    SplittableRandom r = scalarRandom();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private SplittableRandom scalarRandom() {
    return new SplittableRandom(mix(seed + 0x9E3779B97F4A7C15L * ++counter));
  }

  private void fill(BaseRandomOp op) {
    org.nd4j.linalg.api.rng.Random random =
        Nd4j.getRandomFactory().getNewRandomInstance(mix(seed + 0x9E3779B97F4A7C15L * ++counter));
    try {
      Nd4j.getExecutioner().exec(op, random);
    } finally {
      try {
        random.close();
      } catch (Exception e) {
        throw new IllegalStateException("Could not release a native random generator", e);
      }
    }
  }

  /** 64-bit FNV-1a over the UTF-16 code units: unlike String.hashCode, "Aa" and "BB" differ. */
  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * 0x100000001b3L;
      h = (h ^ (c >>> 8)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finalizer: a bijective hash that spreads nearby seeds apart. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
