package dev.regimen.plugins.augmentation;

import dev.regimen.api.tensor.Rng;

/**
 * Draws from Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Devroye 1986, "Non-Uniform
 * Random Variate Generation", IX.4). Gamma variates come from Marsaglia and Tsang 2000 ("A Simple
 * Method for Generating Gamma Variables", ACM TOMS 26(3)) for shape &gt;= 1 and its boost
 * Gamma(a) = Gamma(a + 1) U^(1/a) below 1. Everything is kept in logarithms, so small shapes (mixup's
 * alpha = 0.2 makes Gamma draws that underflow) still give a Beta value instead of 0/0.
 */
final class BetaDistribution {
  private BetaDistribution() {}

  /** One draw from Beta(a, b), a, b &gt; 0. */
  static double sample(Rng rng, double a, double b) {
    double logX = logGamma(rng, a);
    double logY = logGamma(rng, b);
    return 1 / (1 + Math.exp(logY - logX));
  }

  /** The logarithm of one Gamma(shape, 1) draw. */
  static double logGamma(Rng rng, double shape) {
    if (shape < 1) {
      double u = 1 - rng.nextDouble();
      return logGamma(rng, shape + 1) + Math.log(u) / shape;
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = rng.nextGaussian();
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1 - rng.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return Math.log(d * v);
      }
    }
  }
}
