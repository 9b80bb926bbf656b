package dev.regimen.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.testkit.FakeControl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateSchedulesTest {

  private static Scheduler make(String name, Map<String, ?> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return registry.create(ComponentKind.SCHEDULER, name, options);
  }

  private static double lrAtEpoch(Scheduler s, FakeControl c, int epoch) {
    c.setEpoch(epoch);
    s.onEpochStart(c);
    return c.learningRate;
  }

  @Test
  void stepDecaysByGammaEveryStepSizeEpochs() {
    FakeControl c = new FakeControl();
    Scheduler s = make("lr.step", Map.of("step_size", 2, "gamma", 0.5));
    s.onTrainStart(c);
    assertEquals(0.1, lrAtEpoch(s, c, 0), 1e-15);
    assertEquals(0.1, lrAtEpoch(s, c, 1), 1e-15);
    assertEquals(0.05, lrAtEpoch(s, c, 2), 1e-15);
    assertEquals(0.025, lrAtEpoch(s, c, 5), 1e-15);
  }

  @Test
  void cosineFallsFromTheBaseRateToMinLrOverThePeriod() {
    FakeControl c = new FakeControl();
    c.epochs = 10;
    Scheduler s = make("lr.cosine", Map.of("min_lr", 0.01));
    s.onTrainStart(c);
    assertEquals(0.1, lrAtEpoch(s, c, 0), 1e-15);
    assertEquals(0.055, lrAtEpoch(s, c, 5), 1e-12, "halfway is the mean of base and min");
    assertEquals(0.01 + 0.09 * (1 + Math.cos(Math.PI * 0.3)) / 2, lrAtEpoch(s, c, 3), 1e-15);
  }

  @Test
  void warmupRampsLinearlyOverTheFirstBatchesThenHolds() {
    FakeControl c = new FakeControl();
    Scheduler s = make("lr.warmup", Map.of("steps", 4, "start_factor", 0.2));
    s.onTrainStart(c);
    assertEquals(0.02, c.learningRate, 1e-15);
    s.onBatchEnd(c);
    assertEquals(0.1 * (0.2 + 0.8 * 0.25), c.learningRate, 1e-15);
    for (int i = 0; i < 3; i++) {
      s.onBatchEnd(c);
    }
    assertEquals(0.1, c.learningRate, 1e-15);
    c.learningRate = 0.05; // another schedule lowered it: warm-up no longer interferes
    s.onBatchEnd(c);
    assertEquals(0.05, c.learningRate, 1e-15);
  }

  @Test
  void plateauReducesAfterPatienceAndRespectsCooldownAndMinLr() {
    FakeControl c = new FakeControl();
    Scheduler s = make("lr.plateau", Map.of("monitor", "val_loss", "patience", 2, "factor", 0.5, "cooldown", 1,
        "min_lr", 0.03));
    double[] losses = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    // Keras' semantics: the epoch after a reduction is cooldown (no counting), then patience starts over;
    // the second reduction (to 0.025) is floored at min_lr.
    double[] expected = {0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03};
    for (int e = 0; e < losses.length; e++) {
      c.setEpoch(e);
      c.history().record(e, "val_loss", losses[e]);
      s.onEpochEnd(c);
      assertEquals(expected[e], c.learningRate, 1e-15, "epoch " + e);
    }
  }

  @Test
  void badOptionsEchoTheValue() {
    ComponentException e = assertThrows(ComponentException.class, () -> make("lr.step", Map.of("gamma", 1.5)));
    assertEquals("Option 'gamma' of scheduler 'lr.step' must be [0, 1]. Received: gamma=1.5", e.getMessage());
    ComponentException unknown = assertThrows(ComponentException.class, () -> make("lr.step", Map.of("gama", 0.5)));
    assertTrue(unknown.getMessage().contains("Known options: step_size, gamma"), unknown.getMessage());
  }
}
