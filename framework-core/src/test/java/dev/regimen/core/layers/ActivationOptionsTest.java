package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The activations' options are checked when the layer is made, and a bad value is echoed. */
class ActivationOptionsTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
      "elu,        alpha, 0,  'Received: alpha=0.0'",
      "leaky_relu, alpha, -1, 'Received: alpha=-1'",
  })
  void rejectsABadValueEchoingIt(String layer, String option, int value, String echo) {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create(layer, Map.of(option, value)));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
  }
}
