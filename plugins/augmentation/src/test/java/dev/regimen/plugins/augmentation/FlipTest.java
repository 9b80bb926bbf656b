package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlipTest {

  @Test
  void flipsAKnownOneByTwoByThreeImageLeftToRight() {
    INDArray x = Components.array(new double[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
    INDArray flipped = Flip.flip(x, Nd4j.ones(x.dataType(), 1, 1, 1, 1));
    assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4}, Components.values(flipped));
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, Components.values(x), "the input is not written");
  }

  @Test
  void flippingTwiceIsTheIdentity() {
    Augmenter flip = Components.create("flip", Map.of("p", 1.0));
    INDArray x = Components.images(1, 4, 3, 5, 6);
    INDArray twice = Components.apply(flip, Components.apply(flip, x, 2), 3);
    assertEquals(x, twice);
  }

  @Test
  void flipsEachSampleOnItsOwnWithProbabilityP() {
    INDArray x = Components.images(1, 400, 1, 2, 3);
    INDArray out = Components.apply(Components.create("flip", Map.of()), x, 4);
    INDArray mirrored = Flip.flip(x, Nd4j.ones(x.dataType(), 400, 1, 1, 1));
    int flipped = 0;
    for (int i = 0; i < 400; i++) {
      boolean same = out.slice(i).equals(x.slice(i));
      boolean mirror = out.slice(i).equals(mirrored.slice(i));
      assertTrue(same || mirror, "sample " + i + " is the original or its mirror image");
      flipped += mirror ? 1 : 0;
    }
    assertTrue(flipped > 160 && flipped < 240, "about half flipped: " + flipped);
  }

  @Test
  void grayscaleAndColourKeepShapeAndValues() {
    for (long channels : new long[] {1, 3}) {
      INDArray x = Components.images(5, 8, channels, 4, 7);
      INDArray out = Components.apply(Components.create("flip", Map.of()), x, 6);
      assertArrayEquals(x.shape(), out.shape());
      assertEquals(x.sumNumber().doubleValue(), out.sumNumber().doubleValue(), 1e-3, "a flip moves pixels only");
      assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1);
    }
  }

  @Test
  void theSameSeedFlipsTheSameSamplesAndAnotherSeedOthers() {
    Augmenter flip = Components.create("flip", Map.of());
    INDArray x = Components.images(7, 32, 3, 4, 4);
    assertEquals(Components.apply(flip, x, 11), Components.apply(flip, x, 11));
    assertNotEquals(Components.apply(flip, x, 11), Components.apply(flip, x, 12));
  }

  @Test
  void probabilityZeroReturnsTheBatchUntouched() {
    Batch batch = Components.batch(Components.images(1, 4, 1, 3, 3), 10);
    assertSame(batch, Components.create("flip", Map.of("p", 0.0)).apply(batch, FakeAugmenterContext.seeded(1, 10)));
  }

  @Test
  void flatRowsAreRefusedNamingTheShape() {
    Batch batch = Components.batch(Nd4j.rand(4, 64), 10);
    ShapeException e = assertThrows(ShapeException.class,
        () -> Components.create("flip", Map.of()).apply(batch, FakeAugmenterContext.seeded(1, 10)));
    assertTrue(e.getMessage().contains("flip") && e.getMessage().contains("[4, 64]"), e.getMessage());
  }
}
