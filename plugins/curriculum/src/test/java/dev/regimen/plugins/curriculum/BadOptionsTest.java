package dev.regimen.plugins.curriculum;

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

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "pacing, cubic,         'Received: pacing=''cubic'''",
      "order,  hardest_first, 'Received: order=''hardest_first'''",
      "score,  random,        'Received: score=''random'''",
      "loss,   hinge,         'Received: loss=''hinge'''",
  })
  void unknownChoicesAreRefusedListingTheChoices(String option, String value, String echo) {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of(option, value)));
    assertTrue(e.getMessage().contains(echo) && e.getMessage().contains("must be one of"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + option + "'"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "start,  0.0, 'Received: start=0.0'",
      "start,  1.5, 'Received: start=1.5'",
      "start,  NaN, 'Received: start=NaN'",
      "epochs, 0,   'Received: epochs=0'",
      "steps,  0,   'Received: steps=0'",
  })
  void outOfRangeNumbersAreRefusedEchoingTheValue(String option, String value, String echo) {
    Map<String, Object> options = new HashMap<>();
    options.put(option, option.equals("start") ? (Object) Double.valueOf(value) : (Object) Integer.valueOf(value));
    if (option.equals("steps")) {
      options.put("pacing", "step");
    }
    ComponentException e = assertThrows(ComponentException.class, () -> Components.curriculum(options));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
  }

  @Test
  void stepsWithAnotherPacingIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("steps", 2)));
    assertTrue(e.getMessage().contains("pacing 'step' only") && e.getMessage().contains("steps=2"), e.getMessage());
  }

  @Test
  void givenWithoutScoresIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("score", "given")));
    assertTrue(e.getMessage().contains("needs the option scores"), e.getMessage());
  }

  @Test
  void scorerWithoutAFunctionIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("score", "scorer")));
    assertTrue(e.getMessage().contains("needs the option scorer"), e.getMessage());
  }

  @Test
  void aScoreThatContradictsTheOptionsIsRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("score", "loss", "scores", new double[] {1, 2})));
    assertTrue(e.getMessage().contains("score 'loss' does not use the option scores"), e.getMessage());
  }

  @Test
  void scoresAndScorerTogetherAreRefused() {
    java.util.function.IntToDoubleFunction f = i -> i;
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("scores", new double[] {1, 2}, "scorer", f)));
    assertTrue(e.getMessage().contains("either scores or scorer"), e.getMessage());
  }

  @Test
  void aScorerThatIsNoFunctionIsRefusedEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("scorer", "length")));
    assertTrue(e.getMessage().contains("Received: scorer='length'"), e.getMessage());
  }

  @Test
  void aReferenceThatIsNoModelIsRefusedEchoingIt() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("reference", "runs/teacher")));
    assertTrue(e.getMessage().contains("Received: reference='runs/teacher'"), e.getMessage());
  }

  @Test
  void aNonFiniteGivenScoreIsRefusedNamingItsRow() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("scores", new double[] {1, Double.NaN})));
    assertTrue(e.getMessage().contains("Received: scores[1]=NaN"), e.getMessage());
  }

  @Test
  void scoresThatAreNotNumbersAreRefused() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("scores", "easy")));
    assertTrue(e.getMessage().contains("Received: scores='easy'"), e.getMessage());
  }

  @Test
  void aTypoListsTheKnownOptions() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.curriculum(Map.of("pace", "linear")));
    assertTrue(e.getMessage().contains("Known options: score, reference, loss, scores, scorer, pacing"),
        e.getMessage());
  }
}
