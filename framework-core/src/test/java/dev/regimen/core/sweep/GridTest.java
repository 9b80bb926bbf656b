package dev.regimen.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --grid, --seeds and --baseline: what they give, and errors that name the bad value. */
class GridTest {

  private static String error(Runnable parse) {
    return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
  }

  @Test
  void configurationsAreEveryCombinationTheFirstKeySlowest() {
    Grid grid = Grid.parse(List.of("rate=0,0.5", "norm=none, batch"));
    List<String> labels = grid.configs().stream().map(Grid.Config::label).toList();
    assertEquals(List.of("rate=0 norm=none", "rate=0 norm=batch", "rate=0.5 norm=none", "rate=0.5 norm=batch"), labels);
    assertEquals(List.of("rate=0.5", "norm=batch"), grid.configs().get(3).sets());
    assertEquals("rate-0.5-norm-batch", grid.configs().get(3).fileLabel());
    assertEquals(List.of("default"), Grid.parse(List.of()).configs().stream().map(Grid.Config::label).toList());
  }

  @Test
  void badGridOptionsNameTheValue() {
    assertEquals("--grid takes KEY=V1,V2,..., e.g. --grid epochs=5,10. Received: --grid epochs (no '=')",
        error(() -> Grid.parse(List.of("epochs"))));
    assertEquals("--grid takes KEY=V1,V2,..., e.g. --grid epochs=5,10. Received: --grid =1,2 (no key before '=')",
        error(() -> Grid.parse(List.of("=1,2"))));
    assertEquals("--grid epochs= lists no values: give at least one after '=', e.g. --grid epochs=1,2",
        error(() -> Grid.parse(List.of("epochs="))));
    assertEquals("--grid epochs=1,,2: value 2 of 3 is empty", error(() -> Grid.parse(List.of("epochs=1,,2"))));
    assertEquals("--grid epochs=1,2,1 lists epochs=1 twice", error(() -> Grid.parse(List.of("epochs=1,2,1"))));
    assertEquals("--grid epochs is given twice (--grid epochs=1 and --grid epochs=2): list all its values in one, e.g."
        + " --grid epochs=1,2,3", error(() -> Grid.parse(List.of("epochs=1", "epochs=2"))));
  }

  @Test
  void seedsAreListsAndAscendingRanges() {
    assertEquals(List.of(1L, 2L, 3L), Seeds.parse("1,2,3"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), Seeds.parse("1..5"));
    assertEquals(List.of(7L, 1L, 2L, 10L), Seeds.parse("7, 1..2,10"));
    assertEquals(List.of(-1L, 0L), Seeds.parse("-1..0"));
  }

  @Test
  void badSeedsNameTheValue() {
    assertEquals("--seeds 3..1: the range 3..1 goes down; a range goes up, e.g. 1..3", error(() -> Seeds.parse("3..1")));
    assertEquals("--seeds 1,x: 'x' is not an integer (seeds such as 1,2,3 or 1..5)", error(() -> Seeds.parse("1,x")));
    assertEquals("--seeds 1..: '1..' is not an integer (seeds such as 1,2,3 or 1..5)", error(() -> Seeds.parse("1..")));
    assertEquals("--seeds 1..3,2 lists seed 2 twice", error(() -> Seeds.parse("1..3,2")));
    assertEquals("--seeds 1,,2 has an empty entry (seeds such as 1,2,3 or 1..5)", error(() -> Seeds.parse("1,,2")));
    assertEquals("--seeds 1..100000 gives more than 10000 seeds", error(() -> Seeds.parse("1..100000")));
  }

  @Test
  void theBaselineDefaultsToTheFirstValuesAndIsCheckedAgainstTheGrid() {
    Grid grid = Grid.parse(List.of("rate=0,0.5", "norm=none,batch"));
    assertEquals(Map.of("rate", "0", "norm", "none"), grid.baseline(List.of()));
    assertEquals(Map.of("norm", "batch"), grid.baseline(List.of("norm=batch")));
    assertEquals("rate=0 norm=batch", grid.configs().get(3).with(grid.baseline(List.of("rate=0"))).label());
    assertEquals("--baseline depth=2: depth is not a grid key (the grid has: rate, norm)",
        error(() -> grid.baseline(List.of("depth=2"))));
    assertEquals("--baseline rate=0.3: 0.3 is not one of the grid's values of rate (0, 0.5)",
        error(() -> grid.baseline(List.of("rate=0.3"))));
    assertEquals("--baseline takes KEY=VALUE, a grid key and one of its values, e.g. --baseline rate=0. Received: "
        + "--baseline rate", error(() -> grid.baseline(List.of("rate"))));
  }
}
