package dev.regimen.plugins.diagnostics;

import static dev.regimen.plugins.diagnostics.Fixtures.batchnorm;
import static dev.regimen.plugins.diagnostics.Fixtures.blobs;
import static dev.regimen.plugins.diagnostics.Fixtures.dense;
import static dev.regimen.plugins.diagnostics.Fixtures.dropout;
import static dev.regimen.plugins.diagnostics.Fixtures.relu;
import static dev.regimen.plugins.diagnostics.Fixtures.train;
import static dev.regimen.plugins.diagnostics.Fixtures.uout;
import static dev.regimen.plugins.diagnostics.Fixtures.varianceShift;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.core.layers.Sequential;
import dev.regimen.testkit.FakeControl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one warning per training about dropout before batch norm, and the one about a missing probe. */
class VarianceShiftWarningTest {

  private static List<String> warningsWhileTraining(Layer model, int epochs, VarianceShift shift) {
    try (CapturedWarnings log = new CapturedWarnings(VarianceShift.class)) {
      train(model, epochs, shift);
      return log.messages();
    }
  }

  @Test
  void warnsExactlyOncePerTrainingNamingTheDropoutAndTheBatchNormAndTheRemedies() {
    VarianceShift shift = varianceShift(Map.of()).probe(blobs().features());
    Layer model = Sequential.of(dense(16), dropout(0.5), dense(16), batchnorm(), relu(), dense(3));
    List<String> warnings = warningsWhileTraining(model, 3, shift);
    assertEquals(1, warnings.size(), "three epochs, each measured, one warning: " + warnings);
    String warning = warnings.get(0);
    assertTrue(warning.contains("'dropout_1' (dropout) comes before 'batchnorm_1' (batchnorm)"), warning);
    assertTrue(warning.contains("after the last batch norm"), warning);
    assertTrue(warning.contains("dropout.uout") && warning.contains("dropout.gaussian"), warning);
    assertTrue(warning.contains("precise BN"), warning);
    assertTrue(warning.contains("Li et al."), warning);

    assertEquals(1, warningsWhileTraining(model, 1, shift).size(), "a second training warns again, once");
  }

  @Test
  void namesEveryBatchNormThatComesAfterNoise() {
    Layer model = Sequential.of(dense(16), dropout(0.2), dense(16), batchnorm(), relu(), dense(16), batchnorm(),
        relu(), dense(3));
    List<String> warnings = warningsWhileTraining(model, 1, varianceShift(Map.of("input_shape", 8)));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("'dropout_1' (dropout) comes before 'batchnorm_1' (batchnorm); "
        + "'dropout_1' (dropout) comes before 'batchnorm_2' (batchnorm)"), warnings.get(0));
  }

  @Test
  void staysQuietWhenDropoutComesAfterTheLastBatchNorm() {
    Layer model = Sequential.of(dense(16), batchnorm(), relu(), dropout(0.5), dense(3));
    assertEquals(List.of(), warningsWhileTraining(model, 1, varianceShift(Map.of("input_shape", 8))));
  }

  @Test
  void staysQuietAboutUoutWhichIsTheRemedyItself() {
    Layer model = Sequential.of(dense(16), uout(0.3), dense(16), batchnorm(), relu(), dense(3));
    assertEquals(List.of(), warningsWhileTraining(model, 1, varianceShift(Map.of("input_shape", 8))));
  }

  @Test
  void withoutAProbeItWarnsOnceAndRecordsNothing() {
    Layer model = Sequential.of(dense(16), batchnorm(), relu(), dense(3));
    FakeControl control = new FakeControl().withModel(model);
    VarianceShift shift = varianceShift(Map.of());
    try (CapturedWarnings log = new CapturedWarnings(VarianceShift.class)) {
      for (int e = 0; e < 3; e++) {
        control.setEpoch(e);
        shift.onEpochEnd(control);
      }
      assertEquals(1, log.messages().size(), log.messages().toString());
      assertTrue(log.messages().get(0).contains("scheduler 'variance_shift' has no probe batch"), log.messages().get(0));
      assertTrue(log.messages().get(0).contains("'input_shape'"), log.messages().get(0));
    }
    assertEquals(0, control.history().metrics().size(), control.history().metrics().toString());
  }
}
