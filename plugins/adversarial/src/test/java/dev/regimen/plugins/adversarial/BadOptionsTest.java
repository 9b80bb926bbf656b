package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options are refused with a message that names the option and echoes the value received. */
class BadOptionsTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
      "fgsm,            eps,           -0.1, 'Received: eps=-0.1'",
      "fgsm,            eps,           NaN,  'Received: eps=NaN'",
      "fgsm,            eps,           Infinity, 'Received: eps=Infinity'",
      "fgsm,            ratio,         1.5,  'Received: ratio=1.5'",
      "fgsm,            ratio,         -0.5, 'Received: ratio=-0.5'",
      "fgsm,            warmup_epochs, -1,   'Received: warmup_epochs=-1'",
      "fgsm,            eps_start,     -1,   'Received: eps_start=-1'",
      "robust_accuracy, eps,           -0.1, 'Received: eps=-0.1'",
      "robust_accuracy, every,         0,    'Received: every=0'",
      "robust_accuracy, batch_size,    0,    'Received: batch_size=0'",
      "robust_accuracy, steps,         0,    'Received: steps=0'",
      "pgd,             eps,           -0.1, 'Received: eps=-0.1'",
      "pgd,             steps,         0,    'Received: steps=0'",
      "pgd,             step_size,     -0.01, 'Received: step_size=-0.01'",
      "pgd,             step_size,     0.0,  'Received: step_size=0.0'",
  })
  void outOfRangeValuesAreRefusedEchoingTheValue(String name, String option, String value, String echo) {
    Map<String, Object> options = new HashMap<>();
    options.put(option, value.contains(".") || value.startsWith("N") || value.startsWith("I")
        ? (Object) Double.valueOf(value) : (Object) Integer.valueOf(value));
    ComponentException e = assertThrows(ComponentException.class, () -> Components.create(name, options));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
    assertTrue(e.getMessage().contains("'" + option + "'") || e.getMessage().contains(option + " must"),
        "the message names the option: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"fgsm", "robust_accuracy", "pgd"})
  void anEmptyClipRangeIsRefusedEchoingBothBounds(String name) {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create(name, Map.of("clip_min", 1.0, "clip_max", 0.0)));
    assertTrue(e.getMessage().contains("clip_min=1.0, clip_max=0.0"), e.getMessage());
  }

  @Test
  void epsStartWithoutAWarmUpIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("fgsm", Map.of("eps_start", 0.0)));
    assertTrue(e.getMessage().contains("warmup_epochs") && e.getMessage().contains("eps_start=0.0"), e.getMessage());
  }

  @Test
  void aMetricNameWithTheValPrefixIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("robust_accuracy", Map.of("metric", "val_robust")));
    assertTrue(e.getMessage().contains("Received: metric='val_robust'"), e.getMessage());
  }

  @Test
  void aTypoListsTheKnownOptions() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("fgsm", Map.of("epsilon", 0.1)));
    assertTrue(e.getMessage().contains("epsilon") && e.getMessage().contains("Known options: eps, eps_start"),
        e.getMessage());
  }

  @Test
  void camelCaseNamesFromJavaScriptAreAccepted() {
    Components.create("fgsm", Map.of("warmupEpochs", 2, "epsStart", 0.0, "clipMin", 0.0, "clipMax", 1.0));
    Components.create("robust_accuracy", Map.of("batchSize", 10));
  }
}
