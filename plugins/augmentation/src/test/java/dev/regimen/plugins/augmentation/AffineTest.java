package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.train.Augmenter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AffineTest {
  /** 1 2 3 / 4 5 6 / 7 8 9 as [1, 1, 3, 3]. */
  private static final INDArray NINE = Components.array(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);

  private static INDArray transform(INDArray x, double degrees, double tx, double ty, double scale) {
    return Affine.transform(x, Nd4j.createFromArray(degrees), Nd4j.createFromArray(tx), Nd4j.createFromArray(ty),
        Nd4j.createFromArray(scale));
  }

  @Test
  void noRotationShiftOrZoomIsTheIdentity() {
    assertArrayEquals(Components.values(NINE), Components.values(transform(NINE, 0, 0, 0, 1)), 0);
  }

  @Test
  void aQuarterTurnIsCounterClockwiseAsDisplayed() {
    // The right column 3 6 9 becomes the top row.
    assertArrayEquals(new double[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, Components.values(transform(NINE, 90, 0, 0, 1)),
        1e-9);
  }

  @Test
  void everyChannelOfAColourImageTurnsAlike() {
    INDArray rgb = Nd4j.concat(1, NINE, NINE.mul(10), NINE.mul(100));
    INDArray out = transform(rgb, 90, 0, 0, 1);
    double[] turned = {3, 6, 9, 2, 5, 8, 1, 4, 7};
    for (int c = 0; c < 3; c++) {
      double scale = Math.pow(10, c);
      double[] expected = Arrays.stream(turned).map(v -> v * scale).toArray();
      assertArrayEquals(expected, Components.values(out.get(NDArrayIndex.all(),
          NDArrayIndex.point(c))), 1e-9, "channel " + c);
    }
  }

  @Test
  void aHalfTurnFlipsBothAxes() {
    assertArrayEquals(new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, Components.values(transform(NINE, 180, 0, 0, 1)),
        1e-9);
  }

  @Test
  void aShiftMovesThePixelsAndFillsWithZero() {
    // One pixel right and one down.
    assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, Components.values(transform(NINE, 0, 1, 1, 1)),
        1e-12);
    // Half a pixel right: each pixel is the mean of itself and its left neighbour (zero outside).
    assertArrayEquals(new double[] {0.5, 1.5, 2.5, 2, 4.5, 5.5, 3.5, 7.5, 8.5},
        Components.values(transform(NINE, 0, 0.5, 0, 1)), 1e-12);
  }

  @Test
  void zoomingKeepsTheCentreAndStretchesAboutIt() {
    // Scale 2 about the centre (1, 1): output column j reads column 1 + (j - 1) / 2.
    INDArray zoomed = transform(NINE, 0, 0, 0, 2);
    assertArrayEquals(new double[] {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, Components.values(zoomed), 1e-12);
  }

  @Test
  void eachSampleGetsItsOwnTransform() {
    INDArray x = Nd4j.concat(0, NINE, NINE);
    INDArray out = Affine.transform(x, Nd4j.createFromArray(0.0, 180.0), Nd4j.createFromArray(0.0, 0.0),
        Nd4j.createFromArray(0.0, 0.0), Nd4j.createFromArray(1.0, 1.0));
    assertArrayEquals(Components.values(NINE), Components.values(out.slice(0)), 1e-9);
    assertArrayEquals(new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, Components.values(out.slice(1)), 1e-9);
  }

  @Test
  void randomTransformsKeepShapeAndTheUnitRangeForGrayscaleAndColour() {
    Augmenter affine = Components.create("affine", Map.of("degrees", 30, "translate", List.of(0.2, 0.1),
        "scale", List.of(0.8, 1.2)));
    for (long channels : new long[] {1, 3}) {
      INDArray x = Components.images(3, 16, channels, 8, 12);
      INDArray out = Components.apply(affine, x, 4);
      assertArrayEquals(x.shape(), out.shape());
      assertEquals(x.dataType(), out.dataType());
      assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1 + 1e-6,
          "bilinear weights and zero fill keep [0, 1]");
      assertEquals(out, Components.apply(affine, x, 4));
      assertNotEquals(out, Components.apply(affine, x, 5));
    }
  }

  @Test
  void aZeroRangeChangesNothing() {
    Augmenter affine = Components.create("affine", Map.of("degrees", 0, "translate", 0, "scale", List.of(1, 1)));
    INDArray x = Components.images(3, 4, 3, 5, 5);
    assertTrue(x.equalsWithEps(Components.apply(affine, x, 1), 1e-6));
  }
}
