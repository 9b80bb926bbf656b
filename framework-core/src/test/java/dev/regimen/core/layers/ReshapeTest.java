package dev.regimen.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.testkit.LayerContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshapeTest extends LayerContract {
  ReshapeTest() {
    super(new Reshape.Factory(), Map.of("target_shape", List.of(3, -1)), 2, 6);
  }

  @Test
  void resolvesMinusOneFromTheElementCount() {
    Layer reshape = LayerFactories.create("reshape", Map.of("target_shape", List.of(-1, 2, 2)));
    assertArrayEquals(new long[] {3, 2, 2}, reshape.outputShape(new long[] {12}));
  }

  @Test
  void refusesAnElementCountThatDoesNotFitNamingBothShapes() {
    Layer reshape = LayerFactories.create("reshape", Map.of("target_shape", List.of(5, -1)));
    ShapeException e = assertThrows(ShapeException.class, () -> reshape.outputShape(new long[] {12}));
    assertTrue(e.getMessage().contains("[12]") && e.getMessage().contains("[5, -1]"), e.getMessage());
  }

  @Test
  void rejectsTwoUnknownSizesEchoingThem() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> LayerFactories.create("reshape", Map.of("target_shape", List.of(-1, -1))));
    assertTrue(e.getMessage().contains("Received: target_shape=[-1, -1]"), e.getMessage());
  }
}
