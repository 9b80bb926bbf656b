package dev.regimen.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.testkit.FakeControl;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class EarlyStoppingTest {

  private static Scheduler make(Map<String, ?> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return registry.create(ComponentKind.SCHEDULER, "early_stopping", options);
  }

  /** The "weights" the control holds: the epoch whose scalar was last put or restored. */
  private static double weight(FakeControl c) {
    return c.weights.get("w").getDouble(0);
  }

  /** Plays a metric series through the scheduler; returns the epoch at which it asked to stop, or -1. */
  private static int play(Scheduler s, FakeControl c, String metric, double... values) {
    s.onTrainStart(c);
    for (int e = 0; e < values.length; e++) {
      c.setEpoch(e);
      c.weights.put("w", Nd4j.scalar((double) e)); // one scalar per epoch: a restore shows which epoch it came from
      c.history().record(e, metric, values[e]);
      s.onEpochEnd(c);
      if (c.stopRequested()) {
        s.onTrainEnd(c);
        return e;
      }
    }
    c.setEpoch(values.length);
    s.onTrainEnd(c);
    return -1;
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementInLoss() {
    FakeControl c = new FakeControl();
    int stopped = play(make(Map.of("monitor", "val_loss", "patience", 2)), c, "val_loss", 1.0, 0.8, 0.9, 0.85, 0.7);
    assertEquals(3, stopped);
    assertNotNull(c.stopReason());
    assertEquals(1.0, weight(c), "the weights of epoch 2 (index 1), the lowest loss, are restored");
  }

  @Test
  void treatsAccuracyAsHigherIsBetterAndRestoresTheBestEpoch() {
    // DL4J #5760/#5459: an accuracy monitor kept the worst model. Here the best (0.9) must come back.
    FakeControl c = new FakeControl();
    int stopped = play(make(Map.of("monitor", "val_accuracy", "patience", 3)), c, "val_accuracy",
        0.5, 0.9, 0.7, 0.6, 0.55, 0.95);
    assertEquals(4, stopped);
    assertEquals(1.0, weight(c));
  }

  @Test
  void restoresTheBestWeightsWhenTrainingRunsOutOfEpochs() {
    FakeControl c = new FakeControl();
    int stopped = play(make(Map.of("monitor", "val_accuracy", "patience", 10)), c, "val_accuracy", 0.5, 0.9, 0.7);
    assertEquals(-1, stopped);
    assertNull(c.stopReason());
    assertEquals(1.0, weight(c));
    assertEquals(1, c.restores);
  }

  @Test
  void minDeltaIgnoresTinyImprovements() {
    FakeControl c = new FakeControl();
    int stopped = play(make(Map.of("monitor", "loss", "patience", 2, "min_delta", 0.01)), c, "loss",
        1.0, 0.995, 0.992, 0.5);
    assertEquals(2, stopped);
  }

  @Test
  void explicitModeOverridesTheInference() {
    FakeControl c = new FakeControl();
    int stopped = play(make(Map.of("monitor", "val_loss", "mode", "max", "patience", 1)), c, "val_loss", 1.0, 0.5);
    assertEquals(1, stopped);
    assertEquals(0.0, weight(c));
  }

  @Test
  void unknownDirectionAsksForAMode() {
    ComponentException e = assertThrows(ComponentException.class, () -> make(Map.of("monitor", "val_zeta")));
    assertTrue(e.getMessage().contains("set mode to 'min' or 'max'"), e.getMessage());
  }

  @Test
  void aMonitorThatIsNotRecordedIsNamedWithWhatIs() {
    FakeControl c = new FakeControl();
    Scheduler s = make(Map.of("monitor", "val_loss"));
    c.history().record(0, "loss", 1.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.onEpochEnd(c));
    assertEquals("early_stopping monitors 'val_loss', which this training does not record. Recorded: loss "
        + "(is there validation data?)", e.getMessage());
  }

  @Test
  void stateRoundTripsSoAResumedRunKeepsCounting() {
    FakeControl c = new FakeControl();
    Scheduler first = make(Map.of("monitor", "loss", "patience", 3));
    play(first, c, "loss", 1.0, 1.1, 1.15);
    Scheduler resumed = make(Map.of("monitor", "loss", "patience", 3));
    resumed.loadState(first.state());
    FakeControl c2 = new FakeControl();
    c2.setEpoch(3);
    c2.history().record(3, "loss", 1.2);
    resumed.onEpochEnd(c2);
    assertTrue(c2.stopRequested(), "two bad epochs before the checkpoint plus one after reach patience 3");
  }
}
