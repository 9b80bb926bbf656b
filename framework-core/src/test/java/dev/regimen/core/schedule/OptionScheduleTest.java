package dev.regimen.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.AdjustableOptions;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Scheduler;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.testkit.FakeControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionScheduleTest {
  private static final List<OptionSpec> SPECS = List.of(
      OptionSpec.of("rate", OptionType.DOUBLE, 0.5, "a rate").rangeExclusive(0, 1),
      OptionSpec.of("width", OptionType.INT, 3, "a width").atLeast(1));

  /** A layer whose rate may change, as a dropout layer's does. */
  private static final class Tunable extends AbstractLayer implements Adjustable.WithOptions {
    private final AdjustableOptions adjustable;

    Tunable() {
      super("tunable", Options.defaults("layer 'tunable'", SPECS));
      adjustable = new AdjustableOptions(options(), "rate");
    }

    @Override
    public long[] outputShape(long[] inputShape) {
      return inputShape;
    }

    @Override
    protected Tensor call(Tensor input, ForwardContext ctx) {
      return input.mul(1 - adjustable.get("rate"));
    }

    @Override
    public AdjustableOptions adjustable() {
      return adjustable;
    }
  }

  private static Scheduler make(Map<String, ?> options) {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(SchedulerFactories.all(), "built-in");
    return registry.create(ComponentKind.SCHEDULER, "schedule", options);
  }

  /** Runs the epochs and returns the recorded values. */
  private static List<Double> run(Scheduler s, FakeControl c, int epochs, String metric) {
    c.epochs = epochs;
    List<Double> seen = new ArrayList<>();
    s.onTrainStart(c);
    for (int e = 0; e < epochs; e++) {
      c.setEpoch(e);
      s.onEpochStart(c);
      s.onEpochEnd(c);
      seen.add(c.history().epoch(e).get(metric));
    }
    return seen;
  }

  @Test
  void aLinearRampOverTheRunsEpochsIsSetAtEachEpochStartAndRecorded() {
    Tunable layer = new Tunable();
    layer.assignName("tunable_1");
    List<Double> seen = run(make(Map.of("target", layer, "option", "rate", "start", 0.1, "end", 0.5)),
        new FakeControl(), 5, "tunable_1/rate");
    List<Double> expected = List.of(0.1, 0.2, 0.3, 0.4, 0.5);
    for (int e = 0; e < 5; e++) {
      assertEquals(expected.get(e), seen.get(e), 1e-15, "epoch " + e);
    }
    assertEquals(0.5, layer.option("rate"), 1e-15);
  }

  @Test
  void cosineAndExponentialRampsHoldTheirEndAfterTheirEpochsAndValuesAreTakenAsGiven() {
    Tunable layer = new Tunable();
    List<Double> cosine = run(make(Map.of("target", layer, "option", "rate", "start", 0.8, "end", 0.2, "shape",
        "cosine", "epochs", 3, "metric", "r")), new FakeControl(), 5, "r");
    assertEquals(List.of(0.8, 0.5, 0.2, 0.2, 0.2).toString(), cosine.stream().map(v -> Math.round(v * 1e12) / 1e12)
        .toList().toString());
    List<Double> exponential = run(make(Map.of("target", layer, "option", "rate", "start", 0.01, "end", 0.64, "shape",
        "exponential", "epochs", 4, "metric", "r")), new FakeControl(), 4, "r");
    assertEquals(0.04, exponential.get(1), 1e-15);
    assertEquals(0.16, exponential.get(2), 1e-15);
    List<Double> given = run(make(Map.of("target", layer, "option", "rate", "values", List.of(0.3, 0.1), "metric",
        "r")), new FakeControl(), 3, "r");
    assertEquals(List.of(0.3, 0.1, 0.1), given);
  }

  @Test
  void theComponentChecksEveryValueAsItsFactoryDoes() {
    Tunable layer = new Tunable();
    Scheduler s = make(Map.of("target", layer, "option", "rate", "values", List.of(0.5, 1.2)));
    FakeControl c = new FakeControl();
    s.onEpochStart(c);
    c.setEpoch(1);
    ComponentException e = assertThrows(ComponentException.class, () -> s.onEpochStart(c));
    assertEquals("Option 'rate' of layer 'tunable' must be [0, 1). Received: rate=1.2", e.getMessage());
    assertEquals(0.5, layer.option("rate"), "a refused value changes nothing");
  }

  @Test
  void aTargetThatCannotChangeOrAnOptionThatCannotAreRefusedWithWhatWasGiven() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> make(Map.of("target", "dropout", "option", "rate", "start", 0.1, "end", 0.2)));
    assertTrue(e.getMessage().contains("target=dropout"), e.getMessage());
    e = assertThrows(ComponentException.class,
        () -> make(Map.of("target", new Tunable(), "option", "width", "start", 1, "end", 2)));
    assertTrue(e.getMessage().contains("the ones that can: rate. Received: option='width'"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make(Map.of("target", new Tunable(), "option", "rate")));
    assertTrue(e.getMessage().contains("either values"), e.getMessage());
    e = assertThrows(ComponentException.class, () -> make(Map.of("target", new Tunable(), "option", "rate",
        "start", 0.0, "end", 0.5, "shape", "exponential")));
    assertTrue(e.getMessage().contains("start=0.0"), e.getMessage());
  }
}
