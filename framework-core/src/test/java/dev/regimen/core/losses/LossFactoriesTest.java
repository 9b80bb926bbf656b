package dev.regimen.core.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossFactoriesTest {

  @Test
  void listsEveryLossAsAnObjective() {
    List<ComponentFactory<Objective>> factories = LossFactories.all();
    assertEquals(List.of("mse", "mae", "huber", "softmax_cross_entropy", "binary_cross_entropy"),
        factories.stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Objective> factory : factories) {
      assertEquals(ComponentKind.OBJECTIVE, factory.kind());
      assertTrue(!factory.description().isBlank(), factory.name());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "mse, 1.5",
      "mae, 1.0",
      "huber, 0.625",
  })
  void madeByNameTheyComputeTheirLoss(String name, double expected) {
    Tensor p = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor t = Tensor.of(new double[] {0, 2, 5, 3}, 2, 2);
    Objective objective = factory(name).create(Map.of());
    assertEquals(expected, objective.loss(p, t, ObjectiveContext.of(new Batch(p, t))).item(), 1e-12);
  }

  @Test
  void huberTakesItsDelta() {
    Tensor p = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor t = Tensor.of(new double[] {0, 2, 5, 3}, 2, 2);
    Objective huber = factory("huber").create(Map.of("delta", 2.0));
    assertEquals(0.75, huber.loss(p, t, ObjectiveContext.of(new Batch(p, t))).item(), 1e-12);
  }

  @Test
  void classificationLossesAreMadeByName() {
    Tensor logits = Tensor.of(new double[] {1, 2, 3, 1, 1, 1}, 2, 3);
    Tensor labels = Tensor.of(new float[] {2, 0}, 2);
    Objective ce = factory("softmax_cross_entropy").create(Map.of());
    assertEquals(0.7531091265562453, ce.loss(logits, labels, ObjectiveContext.of(new Batch(logits, labels))).item(),
        1e-12);
    Tensor x = Tensor.of(new double[] {0}, 1);
    Tensor y = Tensor.of(new double[] {1}, 1);
    Objective bce = factory("binary_cross_entropy").create(Map.of());
    assertEquals(Math.log(2), bce.loss(x, y, ObjectiveContext.of(new Batch(x, y))).item(), 1e-12);
  }

  @Test
  void badOptionsEchoTheValue() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> factory("huber").create(Map.of("delta", -1)));
    assertTrue(e.getMessage().contains("delta=-1"), e.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> factory("huber").create(Map.of("delta", 0.0)));
    assertTrue(zero.getMessage().contains("delta=0.0"), zero.getMessage());
    e = assertThrows(ComponentException.class, () -> factory("mse").create(Map.of("delta", 1.0)));
    assertTrue(e.getMessage().contains("Unknown option 'delta'"), e.getMessage());
  }

  private static ComponentFactory<Objective> factory(String name) {
    return LossFactories.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void rejectsANonPositiveHuberDelta() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Huber(0));
    assertTrue(e.getMessage().contains("delta=0.0"), e.getMessage());
  }
}
