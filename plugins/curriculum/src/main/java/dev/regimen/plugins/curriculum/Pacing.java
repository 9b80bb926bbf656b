package dev.regimen.plugins.curriculum;

import java.util.List;

/**
 * A pacing function: the fraction of the training data, easiest first, that epoch t (from 0, as the
 * trainer counts) sees, growing from {@code start} = c0 at t = 0 to 1 at t = T = {@code epochs} and
 * staying there:
 * <pre>
 *   linear: min(1, c0 + (1 - c0) t / T)
 *   root:   min(1, sqrt(c0^2 + (1 - c0^2) t / T))           (Platanios et al. 2019, competence c_sqrt)
 *   step:   min(1, c0 + (1 - c0) floor(t S / T) / S)          (S = steps)
 * </pre>
 * {@code root} is the square-root competence of Platanios, Stretcu, Neubig, Poczos and Mitchell 2019
 * ("Competence-based Curriculum Learning for Neural Machine Translation", NAACL): it adds new samples
 * fast at first and slowly later, so that each new sample gets more epochs when the set is small.
 * {@code step} grows the set in S equal increments, each held for T / S epochs; S = 1 is the two-stage
 * curriculum of Bengio et al. 2009 (the easy subset for T epochs, then everything). So the first T
 * epochs see part of the data (unless c0 = 1) and epoch T onwards, the (T + 1)-th as the log counts,
 * sees all of it.
 *
 * @param function {@code linear}, {@code root} or {@code step}
 * @param start c0, the fraction of the first epoch, in (0, 1]
 * @param epochs T, the length of the pacing period, at least 1
 * @param steps S, the number of increments of {@code step}, at least 1
 */
public record Pacing(String function, double start, int epochs, int steps) {
  public static final List<String> FUNCTIONS = List.of("linear", "root", "step");

  public Pacing {
    if (!FUNCTIONS.contains(function)) {
      throw new IllegalArgumentException("The pacing function must be one of " + String.join(", ", FUNCTIONS)
          + ". Received: pacing=" + (function == null ? null : "'" + function + "'"));
    }
    if (!(start > 0 && start <= 1)) {
      throw new IllegalArgumentException("The start fraction must be in (0, 1]. Received: start=" + start);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("The pacing period must be at least 1 epoch. Received: epochs=" + epochs);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("The number of steps must be at least 1. Received: steps=" + steps);
    }
  }

  /** The fraction of the data epoch {@code epoch} (from 0) sees, in [start, 1]. */
  public double fraction(int epoch) {
    if (epoch >= epochs) {
      return 1;
    }
    double t = Math.max(0, epoch);
    double value = switch (function) {
      case "linear" -> start + (1 - start) * t / epochs;
      case "root" -> Math.sqrt(start * start + (1 - start * start) * t / epochs);
      default -> start + (1 - start) * Math.floor(t * steps / epochs) / steps;
    };
    return Math.min(1, value);
  }

  /**
   * How many of {@code n} samples epoch {@code epoch} sees: ceil(fraction * n), at least 1, at most n.
   * (A rounding guard keeps 0.3 * 10 at 3 rather than 4.)
   */
  public int count(int epoch, int n) {
    long k = (long) Math.ceil(fraction(epoch) * n - 1e-9);
    return (int) Math.max(Math.min(n, 1), Math.min(n, k));
  }
}
