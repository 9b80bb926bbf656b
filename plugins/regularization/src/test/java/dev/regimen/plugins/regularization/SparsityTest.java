package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.optim.Sgd;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L1 against L2 on a linear regression whose last three features are irrelevant (true weight 0):
 * L1 sets their weights to (near) zero, L2 only shrinks them, and both keep the relevant ones (L1
 * shrinks every weight by about lambda / 2, so it nearly drops the weak third feature too).
 */
class SparsityTest {
  private static final double[] TRUE_WEIGHTS = {1, -1, 0.5, 0, 0, 0};
  private static final Dataset DATA = Synthetic.linearRegression(200, TRUE_WEIGHTS, 2.0, new Rng(4));

  /**
   * Full-batch gradient descent on the mean squared error, so that an irrelevant weight under L1
   * hovers within about 2 * lr * lambda = 0.016 of zero instead of wandering with the batch noise.
   */
  private static double[] train(Regularizer regularizer) {
    Layer model = Regularizers.linear(false);
    Regularizers.fit(model, DATA, new Sgd(0.01), 800, DATA.size(), regularizer == null ? List.of() : List.of(regularizer));
    return Regularizers.values(Regularizers.value(model, "dense_1.weight"));
  }

  private static double largestIrrelevant(double[] w) {
    return Arrays.stream(w, 3, 6).map(Math::abs).max().orElseThrow();
  }

  private static double smallestIrrelevant(double[] w) {
    return Arrays.stream(w, 3, 6).map(Math::abs).min().orElseThrow();
  }

  @Test
  void l1DrivesTheIrrelevantWeightsToZeroWhileL2OnlyShrinksThem() {
    double[] none = train(null);
    double[] l1 = train(Regularizers.create("l1", "lambda", 0.8));
    double[] l2 = train(Regularizers.create("l2", "lambda", 0.8));
    String all = "none " + Arrays.toString(none) + ", l1 " + Arrays.toString(l1) + ", l2 " + Arrays.toString(l2);
    assertTrue(largestIrrelevant(l1) < 2 * 0.01 * 0.8, "L1 zeroes the irrelevant weights: " + all);
    assertTrue(smallestIrrelevant(l2) > 0.05, "L2 leaves them clearly non-zero: " + all);
    assertTrue(smallestIrrelevant(l2) > 10 * largestIrrelevant(l1), "by a wide margin: " + all);
    for (int j = 3; j < 6; j++) {
      assertTrue(Math.abs(l2[j]) < Math.abs(none[j]) && Math.signum(l2[j]) == Math.signum(none[j]),
          "L2 shrinks irrelevant weight " + j + " towards zero without crossing it: " + all);
    }
    for (int j = 0; j < 3; j++) {
      for (double[] w : List.of(l1, l2)) {
        assertTrue(Math.signum(w[j]) == Math.signum(TRUE_WEIGHTS[j]) && Math.abs(w[j]) > 0.05,
            "both keep relevant weight " + j + ": " + all);
      }
    }
  }
}
