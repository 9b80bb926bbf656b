package dev.regimen.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.testkit.FakeControl;
import java.util.ArrayList;
import java.util.List;
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
  void oneCycleRisesToMaxLrOverPctStartThenAnnealsFarBelowTheStart() {
    FakeControl c = new FakeControl();
    c.epochs = 5;
    c.stepsPerEpoch = 2; // 10 steps; the rise ends at step 0.3 * 10 - 1 = 2, as in PyTorch's OneCycleLR
    Scheduler s = make("lr.onecycle", Map.of());
    s.onTrainStart(c);
    List<Double> rates = new ArrayList<>(List.of(c.learningRate));
    for (int t = 1; t < 12; t++) {
      s.onBatchEnd(c);
      rates.add(c.learningRate);
    }
    assertEquals(0.1 / 25, rates.get(0), 1e-15, "starts at max_lr / div_factor");
    assertEquals(0.1 - 0.096 / 2, rates.get(1), 1e-15, "halfway up the cosine");
    assertEquals(0.1, rates.get(2), 1e-15, "the optimizer's rate is the peak");
    double x = 3.0 / 7; // step 5 is 3 of the 7 steps down
    assertEquals(4e-7 + (0.1 - 4e-7) * (1 + Math.cos(Math.PI * x)) / 2, rates.get(5), 1e-15);
    assertEquals(0.1 / 25 / 1e4, rates.get(9), 1e-18, "ends at the start / final_div_factor");
    assertEquals(rates.get(9), rates.get(11), 0, "and stays there");
  }

  @Test
  void oneCycleWithAGivenPeakLinearAnnealingAndTotalStepsResumesWhereItWas() {
    FakeControl c = new FakeControl();
    Scheduler s = make("lr.onecycle", Map.of("max_lr", 1.0, "total_steps", 5, "pct_start", 0.4, "div_factor", 10,
        "final_div_factor", 10, "anneal", "linear"));
    s.onTrainStart(c);
    assertEquals(0.1, c.learningRate, 1e-15);
    s.onBatchEnd(c);
    assertEquals(1.0, c.learningRate, 1e-15); // the rise ends at step 0.4 * 5 - 1 = 1
    s.onBatchEnd(c);
    Map<String, Object> saved = s.state();
    Scheduler resumed = make("lr.onecycle", Map.of("max_lr", 1.0, "total_steps", 5, "pct_start", 0.4,
        "div_factor", 10, "final_div_factor", 10, "anneal", "linear"));
    resumed.loadState(saved);
    FakeControl d = new FakeControl();
    resumed.onTrainStart(d);
    assertEquals(1.0 + (0.01 - 1.0) / 3, d.learningRate, 1e-15, "a resumed cycle sets the rate of its step");
    resumed.onBatchEnd(d);
    resumed.onBatchEnd(d);
    assertEquals(0.01, d.learningRate, 1e-15);
  }

  @Test
  void oneCycleWithoutKnownStepsSaysWhatToSet() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> make("lr.onecycle", Map.of()).onTrainStart(new FakeControl()));
    assertTrue(e.getMessage().contains("total_steps"), e.getMessage());
  }

  @Test
  void cosineRestartsFallsOverEachCycleAndRestartsWithLongerCycles() {
    FakeControl c = new FakeControl();
    Scheduler s = make("lr.cosine_restarts", Map.of("period", 2, "period_mult", 2, "min_lr", 0.0));
    s.onTrainStart(c);
    double[] expected = {0.1, 0.05, 0.1, 0.05 * (1 + Math.cos(Math.PI / 4)), 0.05, 0.05 * (1 + Math.cos(Math.PI * 3 / 4)),
        0.1};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], lrAtEpoch(s, c, e), 1e-15, "epoch " + e);
    }
  }

  @Test
  void cosineRestartsMovesWithinAnEpochWhenItsStepsAreKnown() {
    FakeControl c = new FakeControl();
    c.stepsPerEpoch = 4;
    Scheduler s = make("lr.cosine_restarts", Map.of("period", 1, "min_lr", 0.02));
    s.onTrainStart(c);
    lrAtEpoch(s, c, 3);
    c.setBatch(1, 0.5); // two of four steps done: halfway through the one-epoch cycle
    s.onBatchEnd(c);
    assertEquals(0.06, c.learningRate, 1e-15);
    c.setBatch(3, 0.5); // the epoch's last step: the next cycle starts again at lr0
    s.onBatchEnd(c);
    assertEquals(0.1, c.learningRate, 1e-15);
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
    e = assertThrows(ComponentException.class, () -> make("lr.onecycle", Map.of("div_factor", 0)));
    assertTrue(e.getMessage().contains("div_factor=0"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make("lr.onecycle", Map.of("anneal", "step")));
    assertTrue(e.getMessage().contains("anneal='step'"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make("lr.cosine_restarts", Map.of("period_mult", 0)));
    assertTrue(e.getMessage().contains("period_mult=0"), e.getMessage());
  }
}
