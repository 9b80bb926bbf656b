package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What survives a step scope, what does not, and that using a released array fails loudly. */
class StepMemoryTest {

  @Test
  void aTensorMadeInsideAStepFailsNamingItsOpOnceTheStepHasEnded() {
    Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 2, 2);
    Tensor kept;
    Tensor total;
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      kept = x.relu();
      total = kept.sum();
      assertEquals(6.0, total.item(), 0);
    }
    ReleasedArrayException e = assertThrows(ReleasedArrayException.class, kept::array);
    assertTrue(e.getMessage().contains("op 'relu'"), e.getMessage());
    assertTrue(e.getMessage().contains("StepMemory.keep"), e.getMessage());
    assertThrows(ReleasedArrayException.class, total::item);
    assertTrue(kept.toString().contains("released"), kept.toString());
  }

  @Test
  void anNd4jOpOnARawArrayFromAnEndedStepIsRefusedNamingTheOp() {
    INDArray raw;
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      raw = Nd4j.ones(DataType.FLOAT, 3).mul(2);
    }
    assertTrue(StepMemory.isReleased(raw));
    RuntimeException e = assertThrows(RuntimeException.class, () -> raw.add(1));
    assertTrue(e.getMessage().contains("leaked workspace"), e.getMessage());
    ReleasedArrayException own = assertThrows(ReleasedArrayException.class, () -> StepMemory.requireLive(raw, "probe"));
    assertTrue(own.getMessage().startsWith("probe: the array [3]"), own.getMessage());
  }

  @Test
  void stepsOneAfterTheOtherShareAnArenaAndANestedStepTakesItsOwn() {
    String trainArena;
    String nestedArena;
    INDArray outer;
    try (StepMemory.Scope train = StepMemory.open("train")) {
      outer = Nd4j.ones(DataType.FLOAT, 4).mul(3);
      trainArena = outer.data().getParentWorkspace().getId();
      INDArray nested;
      try (StepMemory.Scope eval = StepMemory.open("eval")) {
        nested = Nd4j.ones(DataType.FLOAT, 4).mul(5);
        nestedArena = nested.data().getParentWorkspace().getId();
      }
      assertTrue(StepMemory.isReleased(nested), "the nested step's arrays end with it");
      assertFalse(StepMemory.isReleased(outer), "the outer step's arrays outlive the nested step");
      assertEquals(12.0, outer.sumNumber().doubleValue(), 0);
    }
    assertNotEquals(trainArena, nestedArena);
    String evalArena;
    try (StepMemory.Scope eval = StepMemory.open("eval")) {
      evalArena = Nd4j.ones(DataType.FLOAT, 4).mul(2).data().getParentWorkspace().getId();
    }
    assertEquals(trainArena, evalArena, "a top-level evaluation reuses the training step's arena");
    assertTrue(StepMemory.isReleased(outer), "an array of an earlier step stays released when its arena is reused");
  }

  @Test
  void keptAndOutsideArraysSurviveTheStepWithTheirValues() {
    INDArray kept;
    INDArray made;
    Tensor keptTensor;
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      INDArray inside = Nd4j.createFromArray(1f, 2f, 3f).mul(10);
      assertTrue(inside.isAttached());
      kept = StepMemory.keep(inside);
      keptTensor = StepMemory.keep(Tensor.of(inside).neg());
      made = StepMemory.outside(() -> Nd4j.zeros(DataType.FLOAT, 2));
    }
    // Another step reuses the arena; the kept copies must not change.
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      Nd4j.ones(DataType.FLOAT, 64).muli(7);
    }
    assertFalse(kept.isAttached());
    assertArrayEquals(new float[] {10, 20, 30}, kept.toFloatVector(), 0);
    assertArrayEquals(new float[] {-10, -20, -30}, keptTensor.array().toFloatVector(), 0);
    assertArrayEquals(new float[] {0, 0}, made.toFloatVector(), 0);
  }

  @Test
  void keepReturnsAnArrayFromOutsideEveryStepAsItIs() {
    INDArray outside = Nd4j.ones(DataType.FLOAT, 2);
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      assertSame(outside, StepMemory.keep(outside));
    }
  }

  @Test
  void aParametersGradientSurvivesTheStepAndTheNextStepOverwritesItInPlace() {
    Tensor w = Tensor.parameter(Nd4j.createFromArray(1f, 2f));
    INDArray first;
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      w.mul(Tensor.of(new float[] {3, 4}, 2)).sum().backward();
      first = w.grad();
    }
    assertFalse(first.isAttached());
    assertArrayEquals(new float[] {3, 4}, first.toFloatVector(), 0);
    w.zeroGrad();
    try (StepMemory.Scope scope = StepMemory.open("test")) {
      Tensor y = w.mul(Tensor.of(new float[] {5, 6}, 2));
      y.add(y).sum().backward(); // two contributions, accumulated in place
    }
    assertSame(first, w.grad());
    assertArrayEquals(new float[] {10, 12}, w.grad().toFloatVector(), 0);
  }

  @Test
  void aScopeOfANameAlreadyOpenBelongsToTheOuterStep() {
    Tensor inner;
    try (StepMemory.Scope outer = StepMemory.open("test")) {
      try (StepMemory.Scope nested = StepMemory.open("test")) {
        inner = Tensor.of(new float[] {1, 2}, 2).mul(2.0);
      }
      assertEquals(6.0, inner.sum().item(), 0);
    }
    assertThrows(ReleasedArrayException.class, inner::array);
  }

  @Test
  void aStepReusesItsMemoryInsteadOfAllocatingAnew() {
    INDArray[] seen = new INDArray[2];
    for (int step = 0; step < 2; step++) {
      try (StepMemory.Scope scope = StepMemory.open("reuse")) {
        seen[step] = Nd4j.createUninitialized(DataType.FLOAT, 1000);
      }
    }
    // Step 0 learns the size; from step 1 on, allocations come from the arena.
    assertNotSame(seen[0], seen[1]);
    assertTrue(seen[1].isAttached());
  }
}
