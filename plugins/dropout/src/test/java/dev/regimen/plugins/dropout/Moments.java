package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sample moments with their standard errors, for statistical tests with a tolerance derived from the
 * sample size: an estimate passes if it lies within {@link #Z} standard errors of the expected value.
 * With a fixed seed the outcome is deterministic; 5 standard errors make a false alarm on a new
 * seed a one-in-a-million event.
 */
record Moments(long n, double mean, double variance, double meanError, double varianceError) {
  static final double Z = 5;

  /** Mean and population variance; their standard errors sqrt(var / n) and sqrt((m4 - var^2) / n). */
  static Moments of(double[] xs) {
    int n = xs.length;
    double mean = 0;
    for (double x : xs) {
      mean += x;
    }
    mean /= n;
    double m2 = 0;
    double m4 = 0;
    for (double x : xs) {
      double d = (x - mean) * (x - mean);
      m2 += d;
      m4 += d * d;
    }
    m2 /= n;
    m4 /= n;
    return new Moments(n, mean, m2, Math.sqrt(m2 / n), Math.sqrt(Math.max(0, m4 - m2 * m2) / n));
  }

  void assertMean(double expected, String what) {
    assertWithin(expected, mean, meanError, what + " mean");
  }

  void assertVariance(double expected, String what) {
    assertWithin(expected, variance, varianceError, what + " variance");
  }

  /** |actual - expected| within Z standard errors, plus a float32 rounding floor. */
  static void assertWithin(double expected, double actual, double standardError, String what) {
    double tolerance = Z * standardError + 1e-6 * Math.max(1, Math.abs(expected));
    assertTrue(Math.abs(actual - expected) <= tolerance, () -> what + ": expected " + expected + " +- " + tolerance
        + " (" + Z + " standard errors of " + standardError + ") and got " + actual);
  }
}
