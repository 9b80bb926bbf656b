package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.weightStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.layers.Sequential;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class WeightStatsTest {
  private static final double EPS = 1e-6;

  /** One dense layer 2 -> 2 with weight [[3, -4], [0.0005, 0]] and bias [0, 0.5]. */
  private static Layer handSet() {
    Layer model = Layers.build(Sequential.of(dense(2)), new long[] {2}, new Rng(0));
    Layer dense = Layers.find(model, "dense_1");
    dense.parameters().get("weight").array().assign(Nd4j.createFromArray(new float[][] {{3, -4}, {0.0005f, 0}}));
    dense.parameters().get("bias").array().assign(Nd4j.createFromArray(0f, 0.5f));
    return model;
  }

  @Test
  void measuresNormsAndNearZeroFractionsOfHandSetWeights() {
    Map<String, Double> stats = weightStats(Map.of()).measure(handSet(), 0);
    assertEquals(Math.sqrt(25 + 0.0005 * 0.0005), stats.get("weight_l2/dense_1.weight"), EPS);
    assertEquals(7.0005, stats.get("weight_l1/dense_1.weight"), EPS);
    assertEquals(0.5, stats.get("weight_near_zero/dense_1.weight"), EPS, "0.0005 and 0 are below 1e-3");
    assertEquals(0.5, stats.get("weight_l2/dense_1.bias"), EPS);
    assertEquals(0.5, stats.get("weight_l1/dense_1.bias"), EPS);
    assertEquals(0.5, stats.get("weight_near_zero/dense_1.bias"), EPS);
    assertEquals(Math.sqrt(25 + 0.0005 * 0.0005 + 0.25), stats.get("weight_l2/all"), EPS);
    assertEquals(7.5005, stats.get("weight_l1/all"), EPS);
    assertEquals(3 / 6.0, stats.get("weight_near_zero/all"), EPS);
  }

  @Test
  void thresholdDecidesWhatIsNearZero() {
    Map<String, Double> stats = weightStats(Map.of("threshold", 1e-4)).measure(handSet(), 0);
    assertEquals(0.25, stats.get("weight_near_zero/dense_1.weight"), EPS, "only the exact 0 is below 1e-4");
  }

  @Test
  void weightsOnlyLeavesBiasesOut() {
    Map<String, Double> stats = weightStats(Map.of("weights_only", true)).measure(handSet(), 0);
    assertFalse(stats.containsKey("weight_l2/dense_1.bias"), stats.toString());
    assertEquals(7.0005, stats.get("weight_l1/all"), EPS);
  }

  @Test
  void rejectsANegativeThreshold() {
    ComponentException e = assertThrows(ComponentException.class, () -> weightStats(Map.of("threshold", -1)));
    assertEquals("Option 'threshold' of scheduler 'weight_stats' must be >= 0. Received: threshold=-1", e.getMessage());
  }
}
