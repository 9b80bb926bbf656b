package dev.regimen.plugins.dropout;

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
      "dropout,          rate,  1.5,  'Received: rate=1.5'",
      "dropout,          rate,  1.0,  'Received: rate=1.0'",
      "dropout,          rate,  -0.1, 'Received: rate=-0.1'",
      "dropout,          rate,  NaN,  'Received: rate=NaN'",
      "dropout.scaled,   rate,  1.5,  'Received: rate=1.5'",
      "dropout.gaussian, rate,  1.5,  'Received: rate=1.5'",
      "dropout.spatial,  rate,  1.5,  'Received: rate=1.5'",
      "dropconnect,      rate,  1.5,  'Received: rate=1.5'",
      "drop_path,        rate,  1.0,  'Received: rate=1.0'",
      "drop_path,        rate,  -0.1, 'Received: rate=-0.1'",
      "dropout.alpha,    rate,  1.0,  'Received: rate=1.0'",
      "dropout.uout,     beta,  1.5,  'Received: beta=1.5'",
      "dropout.uout,     beta,  -0.5, 'Received: beta=-0.5'",
  })
  void outOfRangeValuesAreRefusedEchoingTheValue(String name, String option, double value, String echo) {
    Map<String, Object> options = new HashMap<>();
    options.put(option, value);
    if (name.equals("dropconnect")) {
      options.put("units", 4);
    }
    ComponentException e = assertThrows(ComponentException.class, () -> Components.create(name, options));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
    assertTrue(e.getMessage().contains("'" + option + "'"), "the message names the option: " + e.getMessage());
  }

  @Test
  void dropConnectRefusesZeroUnits() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("dropconnect", Map.of("units", 0)));
    assertTrue(e.getMessage().contains("Received: units=0"), e.getMessage());
  }

  @Test
  void dropConnectNeedsUnits() {
    ComponentException e = assertThrows(ComponentException.class, () -> Components.create("dropconnect", Map.of()));
    assertTrue(e.getMessage().contains("'units'") && e.getMessage().contains("required"), e.getMessage());
  }

  @Test
  void aKeepProbabilityOptionIsRefusedListingRate() {
    // DL4J users reach for the retain probability; the error points them to rate.
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("dropout", Map.of("keep_prob", 0.8)));
    assertTrue(e.getMessage().contains("keep_prob") && e.getMessage().contains("Known options: rate"), e.getMessage());
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    Components.create("dropout", Map.of("rate", 0.0));
    Components.create("dropout", Map.of("rate", 0.999));
    Components.create("dropout.uout", Map.of("beta", 1.0));
    Components.create("dropout.uout", Map.of("beta", 0.0));
  }
}
