package com.example.cutout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cutout does what DeVries and Taylor describe: one zero square per image, centred anywhere, clipped.
 * The augmenter runs on the test kit's {@link FakeAugmenterContext}: a seeded stream and ten classes,
 * no trainer.
 */
class CutoutTest {

  @Test
  void zeroesTheSquareAroundAKnownCentreAndNothingElse() {
    float[] keep = ones(6 * 7);
    Cutout.zeroSquare(keep, 0, 6, 7, 2, 3, 4); // rows 0..3, columns 1..4
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 7; j++) {
        boolean inside = i < 4 && j >= 1 && j < 5;
        assertEquals(inside ? 0f : 1f, keep[i * 7 + j], "pixel (" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void aSquareCentredOnACornerIsClippedToTheImage() {
    float[] keep = ones(5 * 5);
    Cutout.zeroSquare(keep, 0, 5, 5, 0, 0, 4); // the square [-2, 2) x [-2, 2) keeps only its quarter inside
    assertEquals(4, zeros(keep));
    assertEquals(0f, keep[0]);
    assertEquals(0f, keep[6]);
    float[] odd = ones(5 * 5);
    Cutout.zeroSquare(odd, 0, 5, 5, 2, 2, 3); // an odd size is exactly size pixels wide
    assertEquals(9, zeros(odd));
  }

  @Test
  void everyImageLosesOneSquareInEveryChannelAndKeepsTheRest() {
    INDArray x = new Rng(3).uniform(DataType.FLOAT, 0.5, 1, 64, 3, 10, 10);
    INDArray out = apply(Map.of("size", 4), x, 1);
    assertArrayEquals(x.shape(), out.shape());
    for (int s = 0; s < 64; s++) {
      INDArray zeroed = out.slice(s).eq(0).castTo(DataType.FLOAT); // inputs are >= 0.5: zeros are the patch
      for (int c = 1; c < 3; c++) {
        assertEquals(zeroed.slice(0), zeroed.slice(c), "sample " + s + ": the same square in every channel");
      }
      int rows = zeroed.slice(0).sum(1).gt(0).castTo(DataType.INT).sumNumber().intValue();
      int cols = zeroed.slice(0).sum(0).gt(0).castTo(DataType.INT).sumNumber().intValue();
      double area = zeroed.slice(0).sumNumber().doubleValue();
      assertTrue(rows >= 2 && rows <= 4 && cols >= 2 && cols <= 4, "sample " + s + ": " + rows + " x " + cols);
      assertEquals(rows * cols, area, "sample " + s + ": the zeros form one rectangle");
      INDArray kept = zeroed.rsub(1);
      assertEquals(x.slice(s).mul(kept), out.slice(s), "sample " + s + ": every other pixel is unchanged");
    }
  }

  @Test
  void centresAreUniformOverTheWholeImageSoPatchesOftenLiePartlyOutside() {
    // Per axis of 10 pixels with size 4, the clipped length over the 10 centres is 2,3,4,4,4,4,4,4,4,3:
    // mean 3.6, so the expected area is 3.6^2 = 12.96 pixels, not the 16 of a patch kept inside.
    INDArray out = apply(Map.of("size", 4), Nd4j.ones(DataType.FLOAT, 4000, 1, 10, 10), 7);
    double meanArea = 100 - out.sumNumber().doubleValue() / 4000;
    assertEquals(12.96, meanArea, 0.15);
    int clipped = 0;
    for (int s = 0; s < 4000; s++) {
      clipped += out.slice(s).sumNumber().intValue() > 100 - 16 ? 1 : 0;
    }
    assertEquals(1 - 0.7 * 0.7, clipped / 4000.0, 0.03, "a patch is clipped unless both centre rows and columns are in 2..8");
  }

  @Test
  void pIsTheFractionOfImagesThatAreCut() {
    INDArray out = apply(Map.of("size", 2, "p", 0.25), Nd4j.ones(DataType.FLOAT, 4000, 1, 6, 6), 11);
    int cut = 0;
    for (int s = 0; s < 4000; s++) {
      cut += out.slice(s).minNumber().doubleValue() == 0 ? 1 : 0;
    }
    assertEquals(0.25, cut / 4000.0, 0.025);
  }

  @Test
  void theSameSeedCutsTheSameSquaresAndAnotherSeedOthers() {
    INDArray x = Nd4j.ones(DataType.FLOAT, 16, 1, 8, 8);
    assertEquals(apply(Map.of("size", 3), x, 5), apply(Map.of("size", 3), x, 5));
    assertNotEquals(apply(Map.of("size", 3), x, 5), apply(Map.of("size", 3), x, 6));
  }

  @Test
  void neverWritesTheBatchItIsGivenAndLeavesTheTargetsAlone() {
    Batch batch = batch(Nd4j.ones(DataType.FLOAT, 4, 1, 8, 8));
    INDArray before = batch.inputs().array().dup();
    Batch out = create(Map.of("size", 4)).apply(batch, FakeAugmenterContext.seeded(1, 10));
    assertEquals(before, batch.inputs().array());
    assertSame(batch.targets(), out.targets());
  }

  @Test
  void probabilityZeroReturnsTheBatchUntouched() {
    Batch batch = batch(Nd4j.ones(DataType.FLOAT, 4, 1, 8, 8));
    assertSame(batch, create(Map.of("p", 0.0)).apply(batch, FakeAugmenterContext.seeded(1, 10)));
  }

  @Test
  void flatRowsAreRefusedNamingTheShape() {
    Batch batch = batch(Nd4j.ones(DataType.FLOAT, 4, 64));
    ShapeException e = assertThrows(ShapeException.class, () -> create(Map.of()).apply(batch, FakeAugmenterContext.seeded(1, 10)));
    assertTrue(e.getMessage().contains("cutout") && e.getMessage().contains("[4, 64]"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "size, 0,    'must be >= 1. Received: size=0'",
      "size, 2.5,  'must be an integer. Received: size=2.5'",
      "p,    1.5,  'Received: p=1.5'",
      "p,    -0.1, 'Received: p=-0.1'",
  })
  void badOptionsAreRefusedEchoingTheValue(String option, String value, String expected) {
    Object parsed = value.contains(".") ? (Object) Double.parseDouble(value) : (Object) Integer.parseInt(value);
    ComponentException e = assertThrows(ComponentException.class, () -> create(Map.of(option, parsed)));
    assertTrue(e.getMessage().contains("augmenter 'cutout'") && e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void anUnknownOptionListsTheKnownOnes() {
    ComponentException e = assertThrows(ComponentException.class, () -> create(Map.of("length", 4)));
    assertTrue(e.getMessage().contains("Known options: size, p"), e.getMessage());
  }

  // ---- helpers

  private static Augmenter create(Map<String, ?> options) {
    return new Cutout.Factory().create(options);
  }

  private static INDArray apply(Map<String, ?> options, INDArray inputs, long seed) {
    return create(options).apply(batch(inputs), FakeAugmenterContext.seeded(seed, 10)).inputs().array();
  }

  /** A batch of the inputs, labelled 0..9 in turn. */
  private static Batch batch(INDArray inputs) {
    INDArray labels = Nd4j.arange(inputs.size(0)).castTo(DataType.FLOAT).fmodi(10);
    return new Batch(Tensor.of(inputs), Tensor.of(labels));
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  private static int zeros(float[] a) {
    int n = 0;
    for (float v : a) {
      n += v == 0 ? 1 : 0;
    }
    return n;
  }
}
