package dev.regimen.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mean, standard deviation, the t quantile and the intervals, against hand-computed and SciPy values. */
class StatisticsTest {

  @Test
  void theTQuantileMatchesScipy() {
    // scipy.stats.t.ppf(0.975, df), SciPy 1.17.
    double[][] table = {
      {1, 12.706204736174694}, {2, 4.302652729749462}, {3, 3.1824463052837078}, {4, 2.7764451051977934},
      {5, 2.5705818356363146}, {9, 2.262157162798205}, {10, 2.228138851986274}, {29, 2.045229642132703},
      {30, 2.0422724563012378}, {100, 1.9839715185235518}, {1000, 1.9623390808264083},
    };
    for (double[] row : table) {
      assertEquals(row[1], Statistics.tQuantile(0.975, (int) row[0]), 1e-11 * row[1], "df " + (int) row[0]);
    }
    assertEquals(1.637744353696209, Statistics.tQuantile(0.9, 3), 1e-11);
    assertEquals(3.4994832973504924, Statistics.tQuantile(0.995, 7), 1e-11);
    assertEquals(0.25903274567688733, Statistics.tQuantile(0.6, 12), 1e-11);
    assertEquals(22.327124770119866, Statistics.tQuantile(0.999, 2), 1e-9);
    assertEquals(-Statistics.tQuantile(0.975, 4), Statistics.tQuantile(0.025, 4), 1e-15);
    assertEquals(0, Statistics.tQuantile(0.5, 6));
  }

  @Test
  void theTQuantileMatchesTheClosedFormsForOneAndTwoDegrees() {
    for (double p : new double[] {0.55, 0.8, 0.95, 0.975, 0.99}) {
      assertEquals(Math.tan(Math.PI * (p - 0.5)), Statistics.tQuantile(p, 1), 1e-12 * Statistics.tQuantile(p, 1));
      double two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      assertEquals(two, Statistics.tQuantile(p, 2), 1e-12 * two);
    }
  }

  @Test
  void badQuantileArgumentsAreRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Statistics.tQuantile(1, 3)).getMessage()
        .contains("Received: 1.0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Statistics.tQuantile(0.9, 0)).getMessage()
        .contains("Received: 0"));
  }

  @Test
  void aSummaryHasTheMeanTheSampleStdAndTheTInterval() {
    Statistics.Summary s = Statistics.summarize(new double[] {1, 2, 3, 4});
    assertEquals(4, s.n());
    assertEquals(2.5, s.mean(), 1e-15);
    // sqrt(((1.5^2 + 0.5^2) * 2) / 3) = sqrt(5/3)
    assertEquals(Math.sqrt(5.0 / 3), s.std(), 1e-15);
    double half = 3.1824463052837078 * Math.sqrt(5.0 / 3) / 2;
    assertEquals(2.5 - half, s.ciLow(), 1e-11);
    assertEquals(2.5 + half, s.ciHigh(), 1e-11);
  }

  @Test
  void oneValueHasNoSpreadAndNoneHasNoMean() {
    Statistics.Summary one = Statistics.summarize(new double[] {0.8});
    assertEquals(1, one.n());
    assertEquals(0.8, one.mean());
    assertTrue(Double.isNaN(one.std()) && Double.isNaN(one.ciLow()) && Double.isNaN(one.ciHigh()));
    Statistics.Summary none = Statistics.summarize(new double[0]);
    assertEquals(0, none.n());
    assertTrue(Double.isNaN(none.mean()));
  }

  @Test
  void pairedDifferencesAreTheSummaryOfTheSeedsDifferences() {
    // Differences 0.02, 0.04, 0.03: mean 0.03, std 0.01, half width t(0.975, 2) * 0.01 / sqrt(3).
    double[] a = {0.82, 0.85, 0.80};
    double[] b = {0.80, 0.81, 0.77};
    Statistics.Summary d = Statistics.paired(a, b);
    assertEquals(3, d.n());
    assertEquals(0.03, d.mean(), 1e-15);
    assertEquals(0.01, d.std(), 1e-15);
    double half = 4.302652729749462 * 0.01 / Math.sqrt(3);
    assertEquals(0.03 - half, d.ciLow(), 1e-12);
    assertEquals(0.03 + half, d.ciHigh(), 1e-12);
    assertTrue(d.excludesZero());
    // Unpaired, the seeds' spread hides the same effect: both intervals overlap widely.
    assertFalse(Statistics.summarize(a).ciLow() > Statistics.summarize(b).ciHigh());
    assertThrows(IllegalArgumentException.class, () -> Statistics.paired(a, new double[] {1}));
  }
}
