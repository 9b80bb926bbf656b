package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Augmenter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class RandomCropTest {
  /** 1 2 3 / 4 5 6 / 7 8 9 as [1, 1, 3, 3]. */
  private static final INDArray NINE = Components.array(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);

  private static INDArray padCrop(INDArray x, int oy, int ox, int padding, Sampler.Border border) {
    return RandomCrop.padCrop(x, Nd4j.createFromArray((double) oy), Nd4j.createFromArray((double) ox), padding,
        border);
  }

  @Test
  void padAndCropAtTheCentreOffsetIsTheIdentity() {
    assertEquals(NINE, padCrop(NINE, 1, 1, 1, Sampler.Border.ZERO));
    assertEquals(NINE, padCrop(NINE, 2, 2, 2, Sampler.Border.REFLECT));
  }

  @Test
  void padAndCropAtTheTopLeftOffsetShiftsTheImageDownAndRightWithZeros() {
    assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, Components.values(padCrop(NINE, 0, 0, 1,
        Sampler.Border.ZERO)));
    assertArrayEquals(new double[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, Components.values(padCrop(NINE, 2, 2, 1,
        Sampler.Border.ZERO)));
    // Two rows down, none across.
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 2, 3}, Components.values(padCrop(NINE, 0, 2, 2,
        Sampler.Border.ZERO)));
  }

  @Test
  void everyChannelOfAColourImageIsCutAtTheSameOffset() {
    INDArray rgb = Nd4j.concat(1, NINE, NINE.mul(10), NINE.mul(100));
    INDArray out = padCrop(rgb, 0, 0, 1, Sampler.Border.ZERO);
    double[] shifted = {0, 0, 0, 0, 1, 2, 0, 4, 5};
    for (int c = 0; c < 3; c++) {
      double scale = Math.pow(10, c);
      double[] expected = Arrays.stream(shifted).map(v -> v * scale).toArray();
      assertArrayEquals(expected, Components.values(out.get(NDArrayIndex.all(),
          NDArrayIndex.point(c))), "channel " + c);
    }
  }

  @Test
  void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
    // Row -1 reads row 1 and column -1 reads column 1, as numpy.pad(mode='reflect').
    assertArrayEquals(new double[] {5, 4, 5, 2, 1, 2, 5, 4, 5}, Components.values(padCrop(NINE, 0, 0, 1,
        Sampler.Border.REFLECT)));
    assertArrayEquals(new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, Components.values(padCrop(NINE, 0, 0, 2,
        Sampler.Border.REFLECT)));
  }

  @Test
  void eachSampleGetsItsOwnOffsetAndEveryOffsetIsAShiftOfTheInput() {
    INDArray x = Components.images(3, 64, 1, 5, 5);
    INDArray out = Components.apply(Components.create("random_crop", Map.of("padding", 1)), x, 9);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      String match = null;
      for (int oy = 0; oy <= 2 && match == null; oy++) {
        for (int ox = 0; ox <= 2 && match == null; ox++) {
          if (padCrop(x.slice(i).reshape(1, 1, 5, 5), oy, ox, 1, Sampler.Border.ZERO).equals(
              out.slice(i).reshape(1, 1, 5, 5))) {
            match = oy + "," + ox;
          }
        }
      }
      assertTrue(match != null, "sample " + i + " is a pad-and-crop of its input");
      seen.add(match);
    }
    assertEquals(9, seen.size(), "all nine offsets occur among 64 samples: " + seen);
  }

  @Test
  void resizingAWholeImageBoxIsTheIdentity() {
    INDArray x = Components.images(2, 2, 3, 4, 6);
    INDArray out = RandomCrop.resizedCrop(x, new double[] {0, 0}, new double[] {0, 0}, new double[] {4, 4},
        new double[] {6, 6});
    assertTrue(x.equalsWithEps(out, 1e-6));
  }

  @Test
  void aHalfWidthBoxOfARampIsResizedBilinearlyWithHalfPixelCentres() {
    // x[i, j] = j on a 1x4 image; the box of columns 0..1 stretched to 4 columns reads columns
    // (j + 1/2) / 2 - 1/2 = -0.25, 0.25, 0.75, 1.25, clamped to the box [0, 1]: PyTorch's bilinear resize.
    INDArray ramp = Components.array(new double[] {0, 1, 2, 3}, 1, 1, 1, 4);
    INDArray out = RandomCrop.resizedCrop(ramp, new double[] {0}, new double[] {0}, new double[] {1},
        new double[] {2});
    assertArrayEquals(new double[] {0, 0.25, 0.75, 1}, Components.values(out), 1e-12);
    INDArray single = RandomCrop.resizedCrop(NINE, new double[] {1}, new double[] {2}, new double[] {1},
        new double[] {1});
    assertArrayEquals(new double[] {6, 6, 6, 6, 6, 6, 6, 6, 6}, Components.values(single), 1e-12);
  }

  @Test
  void resizedCropBoxesLieInsideTheImageWithTheirAreaAndRatioInRange() {
    double[][] boxes = RandomCrop.boxes(new Rng(4), 500, 32, 32, new double[] {0.25, 0.5}, new double[] {0.75,
        4.0 / 3});
    for (int s = 0; s < 500; s++) {
      double top = boxes[0][s];
      double left = boxes[1][s];
      double h = boxes[2][s];
      double w = boxes[3][s];
      assertTrue(top >= 0 && left >= 0 && h >= 1 && w >= 1 && top + h <= 32 && left + w <= 32, "box " + s);
      double area = h * w / (32.0 * 32);
      assertTrue(area > 0.2 && area < 0.56, "area fraction " + area); // rounded sides move it a little
      assertTrue(w / h > 0.6 && w / h < 1.5, "ratio " + w / h);
    }
  }

  @Test
  void aBoxTheImageCannotHoldFallsBackToTheCentreCropOfTheNearestRatioAsTorchvisionDoes() {
    // A 4x16 image (ratio 4) has no box of ratio 8..9 with 90% of its area (its width would be ~23):
    // after 10 tries the box is the whole width and the height of ratio 8, round(16 / 8) = 2, centred.
    double[][] boxes = RandomCrop.boxes(new Rng(1), 1, 4, 16, new double[] {0.9, 1.0}, new double[] {8, 9});
    assertArrayEquals(new double[] {1, 0, 2, 16}, new double[] {boxes[0][0], boxes[1][0], boxes[2][0], boxes[3][0]});
  }

  @Test
  void randomResizedCropKeepsShapeAndRangeForGrayscaleAndColour() {
    Augmenter crop = Components.create("random_crop", Map.of("mode", "resized"));
    for (long channels : new long[] {1, 3}) {
      INDArray x = Components.images(8, 16, channels, 8, 10);
      INDArray out = Components.apply(crop, x, 5);
      assertArrayEquals(x.shape(), out.shape());
      assertEquals(x.dataType(), out.dataType());
      assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1);
      assertNotEquals(x, out);
    }
  }

  @Test
  void padModeKeepsShapeAndRangeAndRepeatsWithTheSeed() {
    for (String mode : new String[] {"zero", "reflect"}) {
      Augmenter crop = Components.create("random_crop", Map.of("padding", 2, "padding_mode", mode));
      INDArray x = Components.images(8, 16, 3, 6, 6);
      INDArray out = Components.apply(crop, x, 5);
      assertArrayEquals(x.shape(), out.shape());
      assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1);
      assertEquals(out, Components.apply(crop, x, 5));
      assertNotEquals(out, Components.apply(crop, x, 6));
    }
  }

  @Test
  void reflectPaddingAsWideAsTheImageIsRefused() {
    Augmenter crop = Components.create("random_crop", Map.of("padding", 3, "padding_mode", "reflect"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Components.apply(crop, Nd4j.rand(DataType.FLOAT, 2, 1, 3, 8), 1));
    assertTrue(e.getMessage().contains("padding=3") && e.getMessage().contains("3x8"), e.getMessage());
  }
}
