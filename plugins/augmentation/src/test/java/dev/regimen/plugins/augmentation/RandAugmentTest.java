package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Augmenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code randaugment} (Cubuk et al. 2020) and the operations it draws from: each operation's formula,
 * the identity at level 0, a different operation per sample, and a distortion that grows with M.
 */
class RandAugmentTest {

  /** Images [n, 3, 6, 6] of whole grey levels k / 255, k in 0..254. */
  private static INDArray greyLevels(long seed, int n) {
    INDArray k = Transforms.floor(new Rng(seed).uniform(DataType.DOUBLE, 0, 255, n, 3, 6, 6), false);
    return k.divi(255.0);
  }

  private static INDArray all(int n, double value) {
    return Nd4j.valueArrayOf(new long[] {n}, value, DataType.DOUBLE);
  }

  @ParameterizedTest
  @EnumSource(value = ImageOps.class, names = {"AUTO_CONTRAST", "SOLARIZE"}, mode = EnumSource.Mode.EXCLUDE)
  void everyOperationAtLevelZeroIsTheIdentity(ImageOps op) {
    INDArray x = greyLevels(1, 4);
    INDArray y = op.apply(x, all(4, 0), all(4, 1));
    assertTrue(y.equalsWithEps(x, 1e-9), op + " at level 0 changed the image");
  }

  @Test
  void solarizePosterizeAndAutoContrastFollowTheirFormulas() {
    INDArray x = Components.array(new double[] {0.1, 0.5, 0.8, 0.9}, 1, 1, 2, 2);
    // Threshold 1 - 0.3 = 0.7: 0.8 and 0.9 are inverted.
    assertArrayEquals(new double[] {0.1, 0.5, 0.2, 0.1},
        Components.values(ImageOps.SOLARIZE.apply(x, all(1, 0.3), all(1, 1))), 1e-12);
    // Level 1 keeps 4 bits: floor(255 x / 16) 16 / 255.
    double[] posterized = Components.values(ImageOps.POSTERIZE.apply(x, all(1, 1), all(1, 1)));
    assertArrayEquals(new double[] {16 / 255.0, 112 / 255.0, 192 / 255.0, 224 / 255.0}, posterized, 1e-12);
    // Min 0.1 and max 0.9 stretched to 0 and 1.
    assertArrayEquals(new double[] {0, 0.5, 0.875, 1}, Components.values(ImageOps.autoContrast(x)), 1e-12);
    INDArray flat = Nd4j.valueArrayOf(new long[] {1, 1, 2, 2}, 0.4, DataType.DOUBLE);
    assertEquals(flat, ImageOps.autoContrast(flat), "a constant channel is kept");
  }

  @Test
  void translateMovesWholePixelsAtAWholeNumberOffset() {
    INDArray x = greyLevels(2, 1);
    // translate_x at level 1 / 2.7 of a 6-pixel image: 0.45 * 6 / 2.7 = 1 pixel to the right.
    INDArray moved = ImageOps.TRANSLATE_X.apply(x, all(1, 1 / 2.7), all(1, 1));
    INDArray expected = Nd4j.zeros(DataType.DOUBLE, 1, 3, 6, 6);
    expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 6))
        .assign(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)));
    assertTrue(moved.equalsWithEps(expected, 1e-9), "one pixel to the right:\n" + moved + "\nvs\n" + expected);
  }

  @Test
  void eachSampleGetsItsOwnOperationAsIfAlone() {
    INDArray x = greyLevels(3, 6);
    List<ImageOps> ops = List.of(ImageOps.ROTATE, ImageOps.SOLARIZE, ImageOps.ROTATE, ImageOps.IDENTITY,
        ImageOps.CONTRAST, ImageOps.SHEAR_Y);
    double[] levels = {0.5, 0.4, 0.2, 0.9, 0.7, 1.0};
    double[] signs = {1, -1, -1, 1, 1, -1};
    INDArray out = ImageOps.applyPerSample(x, ops, levels, signs);
    for (int i = 0; i < 6; i++) {
      INDArray alone = ops.get(i).apply(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup(),
          all(1, levels[i]), all(1, signs[i]));
      assertTrue(out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).equalsWithEps(alone, 1e-12),
          "sample " + i + " (" + ops.get(i) + ")");
    }
  }

  /** The mean absolute change of RandAugment at a magnitude, over a batch of images. */
  private static double meanChange(int magnitude) {
    Augmenter randaugment = Components.create("randaugment", Map.of("num_ops", 2, "magnitude", magnitude));
    INDArray x = Components.images(4, 200, 3, 8, 8);
    return Transforms.abs(Components.apply(randaugment, x, 5).sub(x), false).meanNumber().doubleValue();
  }

  @Test
  void theDistortionGrowsWithTheMagnitude() {
    double[] changes = {meanChange(0), meanChange(10), meanChange(20), meanChange(30)};
    for (int i = 1; i < changes.length; i++) {
      assertTrue(changes[i] > changes[i - 1], "mean change by magnitude 0, 10, 20, 30: " + Arrays.toString(changes));
    }
  }

  @Test
  void drawsOtherOperationsForOtherSamplesAndSeeds() {
    Augmenter randaugment = Components.create("randaugment", Map.of());
    INDArray one = Components.images(6, 1, 3, 8, 8);
    INDArray same = Nd4j.concat(0, one, one, one, one, one, one, one, one);
    INDArray out = Components.apply(randaugment, same, 7);
    List<INDArray> distinct = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      INDArray row = out.slice(i);
      if (distinct.stream().noneMatch(d -> d.equalsWithEps(row, 1e-9))) {
        distinct.add(row);
      }
    }
    assertTrue(distinct.size() >= 5, "copies of one image come out different: " + distinct.size() + " of 8");
    assertNotEquals(out, Components.apply(randaugment, same, 8));
    INDArray gray = Components.apply(randaugment, Components.images(6, 8, 1, 8, 8), 7);
    assertTrue(gray.minNumber().doubleValue() >= 0 && gray.maxNumber().doubleValue() <= 1, "grayscale in [0, 1]");
  }
}
