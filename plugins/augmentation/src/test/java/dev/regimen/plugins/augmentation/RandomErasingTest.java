package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.train.Augmenter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code random_erasing} (Zhong et al. 2020): a p share of the samples get one box overwritten, of
 * the drawn area and aspect, in every channel at the same place; the rest of the image is untouched.
 */
class RandomErasingTest {

  @Test
  void erasesTheBoxAndLeavesTheRestOfTheImage() {
    INDArray nine = Components.array(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    INDArray mask = Images.boxMask(3, 3, new double[] {1}, new double[] {0}, new double[] {2}, new double[] {2});
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 1, 1, 0}, Components.values(mask));
    assertArrayEquals(new double[] {1, 2, 3, -1, -1, 6, -1, -1, 9},
        Components.values(RandomErasing.erase(nine, mask, null, -1)));
    INDArray empty = Images.boxMask(3, 3, new double[] {1}, new double[] {1}, new double[] {0}, new double[] {0});
    assertEquals(0, empty.sumNumber().doubleValue());
  }

  /** Images of constant 0.5 [n, 3, 16, 16] erased with the constant -1: the erased pixels are exactly the -1s. */
  private static INDArray erasedMask(Map<String, ?> options, int n, long seed) {
    Augmenter erasing = Components.create("random_erasing", options);
    INDArray x = Nd4j.valueArrayOf(new long[] {n, 3, 16, 16}, 0.5, DataType.FLOAT);
    INDArray out = Components.apply(erasing, x, seed);
    INDArray erased = out.eq(-1.0).castTo(DataType.DOUBLE);
    INDArray kept = out.eq(0.5).castTo(DataType.DOUBLE);
    assertEquals(n * 3 * 256, erased.add(kept).sumNumber().doubleValue(), "every pixel is erased or untouched");
    return erased;
  }

  /** Channel c of [N, C, H, W] as a copy [N, H, W]. */
  private static INDArray channel(INDArray x, int c) {
    return x.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all()).dup()
        .reshape(x.size(0), x.size(2), x.size(3));
  }

  @Test
  void aPShareOfTheSamplesGetsOneBoxOfTheDrawnSizeInEveryChannel() {
    int n = 4000;
    double p = 0.3;
    // A fixed 8 x 8 box: area 0.25 of 16 x 16, aspect 1.
    INDArray erased = erasedMask(Map.of("p", p, "scale", List.of(0.25, 0.25), "ratio", List.of(1.0, 1.0),
        "fill", "constant", "value", -1.0), n, 7);
    INDArray channel0 = channel(erased, 0);
    for (int c = 1; c < 3; c++) {
      assertEquals(channel0, channel(erased, c), "channel " + c + " erased alike");
    }
    INDArray perSample = channel0.sum(1, 2);
    INDArray rowsHit = channel0.sum(2).gt(0.0).castTo(DataType.DOUBLE).sum(1);
    double[] hit = new double[n];
    for (int i = 0; i < n; i++) {
      double pixels = perSample.getDouble(i);
      assertTrue(pixels == 0 || pixels == 64, "sample " + i + " has no box or one 8 x 8 box: " + pixels);
      if (pixels == 64) {
        assertEquals(8, rowsHit.getDouble(i), "8 rows of sample " + i);
      }
      hit[i] = pixels > 0 ? 1 : 0;
    }
    double share = Nd4j.createFromArray(hit).meanNumber().doubleValue();
    double error = Math.sqrt(p * (1 - p) / n);
    assertEquals(p, share, 5 * error, "share of erased samples");
  }

  @Test
  void boxAreasFollowTheScaleRange() {
    int n = 2000;
    INDArray erased = erasedMask(Map.of("p", 1.0, "scale", List.of(0.1, 0.3), "fill", "constant", "value", -1.0), n,
        8);
    INDArray areas = channel(erased, 0).sum(1, 2).div(256.0);
    // Rounding the sides to whole pixels moves an area by up to about (h + w + 1) / 2 pixels; with
    // aspect ratios up to 3.3 the sides stay below 16, so a box lies within 0.06 of the range.
    assertTrue(areas.minNumber().doubleValue() > 0.1 - 0.06, "smallest box " + areas.minNumber());
    assertTrue(areas.maxNumber().doubleValue() < 0.3 + 0.06, "largest box " + areas.maxNumber());
    assertEquals(0.2, areas.meanNumber().doubleValue(), 0.01, "mean area fraction");
  }

  @Test
  void randomFillsAreNoiseInsideTheBox() {
    Augmenter erasing = Components.create("random_erasing", Map.of("p", 1.0, "scale", List.of(0.25, 0.25),
        "ratio", List.of(1.0, 1.0)));
    INDArray x = Nd4j.valueArrayOf(new long[] {50, 1, 16, 16}, 5.0, DataType.FLOAT);
    INDArray out = Components.apply(erasing, x, 9);
    INDArray inside = out.neq(5.0);
    assertEquals(50 * 64, inside.castTo(DataType.DOUBLE).sumNumber().doubleValue(), 0, "one 8 x 8 box per sample");
    double[] values = Components.values(out);
    double sum = 0;
    int count = 0;
    for (double v : values) {
      if (v != 5.0) {
        assertTrue(v >= 0 && v < 1, "a uniform fill in [0, 1): " + v);
        sum += v;
        count++;
      }
    }
    assertEquals(0.5, sum / count, 0.02, "mean of the uniform fill");
  }
}
