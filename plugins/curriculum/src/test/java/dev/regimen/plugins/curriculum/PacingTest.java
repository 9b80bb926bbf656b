package dev.regimen.plugins.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pacing functions' values at chosen epochs, computed by hand from the documented formulas. */
class PacingTest {

  @ParameterizedTest(name = "{0} from {1} over {2} epochs ({3} steps), epoch {4}: {5}")
  @CsvSource({
      // linear: c0 + (1 - c0) t / T
      "linear, 0.2, 4, 1, 0,  0.2",
      "linear, 0.2, 4, 1, 1,  0.4",
      "linear, 0.2, 4, 1, 2,  0.6",
      "linear, 0.2, 4, 1, 3,  0.8",
      "linear, 0.2, 4, 1, 4,  1.0",
      "linear, 0.2, 4, 1, 10, 1.0",
      // root: sqrt(c0^2 + (1 - c0^2) t / T), Platanios et al. 2019
      "root,   0.2, 4, 1, 0,  0.2",
      "root,   0.2, 4, 1, 1,  0.5291502622129181",   // sqrt(0.28)
      "root,   0.2, 4, 1, 2,  0.7211102550927979",   // sqrt(0.52)
      "root,   0.2, 4, 1, 3,  0.8717797887081347",   // sqrt(0.76)
      "root,   0.2, 4, 1, 4,  1.0",
      "root,   0.01, 100, 1, 50, 0.7071421356417675", // sqrt(0.0001 + 0.9999 / 2) = sqrt(0.50005)
      // step: c0 + (1 - c0) floor(t S / T) / S
      "step,   0.2, 6, 3, 0,  0.2",
      "step,   0.2, 6, 3, 1,  0.2",
      "step,   0.2, 6, 3, 2,  0.4666666666666667",
      "step,   0.2, 6, 3, 3,  0.4666666666666667",
      "step,   0.2, 6, 3, 4,  0.7333333333333334",
      "step,   0.2, 6, 3, 5,  0.7333333333333334",
      "step,   0.2, 6, 3, 6,  1.0",
      // one step: Bengio et al.'s two stages
      "step,   0.3, 3, 1, 0,  0.3",
      "step,   0.3, 3, 1, 2,  0.3",
      "step,   0.3, 3, 1, 3,  1.0",
      // a start of 1 is no curriculum
      "linear, 1.0, 3, 1, 0,  1.0",
      "root,   1.0, 3, 1, 0,  1.0",
  })
  void fractionAtEpoch(String function, double start, int epochs, int steps, int epoch, double expected) {
    assertEquals(expected, new Pacing(function, start, epochs, steps).fraction(epoch), 1e-12);
  }

  @ParameterizedTest(name = "{0} of 10 at fraction {1}")
  @CsvSource({
      "0.3,  0, 3",     // 0.3 * 10 is 3, not 4, despite 0.30000000000000004
      "0.25, 0, 3",     // ceil(2.5)
      "0.01, 0, 1",     // at least one sample
      "0.3,  9, 10",    // after the period, all
  })
  void countRoundsUpAndKeepsAtLeastOneSample(double start, int epoch, int expected) {
    assertEquals(expected, new Pacing("linear", start, 5, 1).count(epoch, 10));
  }

  @Test
  void everyFunctionGrowsMonotonicallyFromStartToOne() {
    for (String function : Pacing.FUNCTIONS) {
      Pacing pacing = new Pacing(function, 0.1, 7, 3);
      double previous = 0;
      for (int e = 0; e <= 10; e++) {
        double f = pacing.fraction(e);
        assertTrue(f >= previous && f >= 0.1 && f <= 1, function + " at " + e + ": " + f);
        previous = f;
      }
      assertEquals(0.1, pacing.fraction(0), 1e-12, function);
      assertTrue(pacing.fraction(6) < 1, function + " is still pacing at epoch T - 1");
      assertEquals(1.0, pacing.fraction(7), function);
    }
  }

  @Test
  void rootAddsSamplesFasterThanLinearEarly() {
    assertTrue(new Pacing("root", 0.1, 10, 1).fraction(2) > new Pacing("linear", 0.1, 10, 1).fraction(2));
  }
}
