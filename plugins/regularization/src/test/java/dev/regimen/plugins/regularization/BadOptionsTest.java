package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options are refused with a message that names the option and echoes the value received. */
class BadOptionsTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
      "l1,           lambda, -1,   'Received: lambda=-1.0'",
      "l1,           lambda, NaN,  'Received: lambda=NaN'",
      "l2,           lambda, -0.5, 'Received: lambda=-0.5'",
      "weight_decay, lambda, -1,   'Received: lambda=-1.0'",
      "weight_noise, sigma,  -0.1, 'Received: sigma=-0.1'",
      "weight_noise, sigma,  NaN,  'Received: sigma=NaN'",
      "max_norm,     max_value, -1, 'Received: max_value=-1.0'",
  })
  void negativeStrengthsAreRefusedEchoingTheValue(String name, String option, double value, String echo) {
    ComponentException e = assertThrows(ComponentException.class, () -> Regularizers.create(name, option, value));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
    assertTrue(e.getMessage().contains("'" + option + "'"), "the message names the option: " + e.getMessage());
  }

  @Test
  void anUnknownModeIsRefusedListingTheModes() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Regularizers.create("weight_noise", Map.of("mode", "both")));
    assertTrue(e.getMessage().contains("Received: mode='both'")
        && e.getMessage().contains("one of additive, multiplicative"), e.getMessage());
  }

  @Test
  void layersMustBeANameOrAListOfNames() {
    for (Object bad : List.of(3, List.of(), List.of("dense_1", 2), "  ")) {
      ComponentException e = assertThrows(ComponentException.class,
          () -> Regularizers.create("l2", Map.of("layers", bad)));
      assertTrue(e.getMessage().contains("Received: layers=" + bad), e.getMessage());
    }
  }

  @Test
  void aTextLambdaIsRefusedEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Regularizers.create("l2", Map.of("lambda", "1e-4")));
    assertTrue(e.getMessage().contains("must be a number") && e.getMessage().contains("Received: lambda='1e-4'"),
        e.getMessage());
  }

  @Test
  void anUnknownOptionIsRefusedListingTheKnownOnes() {
    // PyTorch users reach for weight_decay on l2; the error points them to lambda.
    ComponentException e = assertThrows(ComponentException.class,
        () -> Regularizers.create("l2", Map.of("weight_decay", 1e-4)));
    assertTrue(e.getMessage().contains("Known options: lambda, include_biases, layers"), e.getMessage());
  }

  @Test
  void maxNormNeedsAPositiveFiniteRadius() {
    for (double bad : new double[] {0, Double.POSITIVE_INFINITY}) {
      ComponentException e = assertThrows(ComponentException.class,
          () -> Regularizers.create("max_norm", "max_value", bad));
      assertTrue(e.getMessage().contains("Received: max_value=" + bad), e.getMessage());
    }
  }

  @Test
  void zeroIsAcceptedAsAStrength() {
    Regularizers.create("l1", "lambda", 0);
    Regularizers.create("l2", "lambda", 0);
    Regularizers.create("weight_decay", "lambda", 0);
    Regularizers.create("weight_noise", "sigma", 0);
  }
}
