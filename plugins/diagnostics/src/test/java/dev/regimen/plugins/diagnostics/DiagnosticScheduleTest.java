package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.weightStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.layers.Sequential;
import dev.regimen.testkit.FakeControl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options every and epochs, shared by all diagnostics; epochs are counted from 1, as the log counts them. */
class DiagnosticScheduleTest {

  @ParameterizedTest(name = "every={0} epochs={1}: measured at {2}")
  @CsvSource(delimiter = ';', value = {
      "     ;        ; 1 2 3 4 5 6",
      "2    ;        ; 2 4 6",
      "     ; 1 5    ; 1 5",
      "3    ; 1      ; 1 3 6",
  })
  void measuresAtTheChosenEpochs(Integer every, String epochs, String expected) {
    Map<String, Object> options = new HashMap<>();
    if (every != null) {
      options.put("every", every);
    }
    if (epochs != null) {
      options.put("epochs", List.of(epochs.split(" ")).stream().map(Integer::valueOf).toList());
    }
    Diagnostic diagnostic = weightStats(options);
    List<String> measured = new ArrayList<>();
    for (int epoch = 0; epoch < 6; epoch++) {
      if (diagnostic.measuresAt(epoch)) {
        measured.add(Integer.toString(epoch + 1));
      }
    }
    assertEquals(expected, String.join(" ", measured));
  }

  @Test
  void recordsOnlyAtTheChosenEpochsThroughTheTrainingControl() {
    FakeControl control = new FakeControl().withModel(Sequential.of(dense(2)));
    control.model().build(new long[] {3}, new Rng(0));
    Diagnostic diagnostic = weightStats(Map.of("every", 2));
    for (int e = 0; e < 4; e++) {
      control.setEpoch(e);
      control.history().record(e, "loss", 1.0);
      diagnostic.onEpochEnd(control);
    }
    List<Double> series = control.history().series("weight_l2/all");
    assertEquals(List.of(true, false, true, false), series.stream().map(v -> v.isNaN()).toList(), series.toString());
  }

  @Test
  void rejectsEveryBelowOne() {
    ComponentException e = assertThrows(ComponentException.class, () -> weightStats(Map.of("every", 0)));
    assertEquals("Option 'every' of scheduler 'weight_stats' must be >= 1. Received: every=0", e.getMessage());
  }
}
