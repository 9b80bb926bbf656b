package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.train.Augmenter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ColorJitterTest {

  private static INDArray constant(double value, long... shape) {
    return Nd4j.valueArrayOf(shape, value, DataType.DOUBLE);
  }

  @Test
  void brightnessScalesAConstantImageByItsFactor() {
    INDArray out = ColorJitter.brightness(constant(0.4, 2, 1, 2, 2), Nd4j.createFromArray(1.5, 0.5));
    assertArrayEquals(new double[] {0.6, 0.6, 0.6, 0.6, 0.2, 0.2, 0.2, 0.2}, Components.values(out), 1e-12);
  }

  @Test
  void contrastBlendsWithTheMeanGrayLevel() {
    INDArray x = Components.array(new double[] {0, 0.2, 0.4, 0.6}, 1, 1, 2, 2); // mean 0.3
    assertArrayEquals(new double[] {0.3, 0.3, 0.3, 0.3},
        Components.values(ColorJitter.contrast(x, Nd4j.createFromArray(0.0))), 1e-12);
    assertArrayEquals(new double[] {-0.3, 0.1, 0.5, 0.9},
        Components.values(ColorJitter.contrast(x, Nd4j.createFromArray(2.0))), 1e-12);
  }

  @Test
  void saturationZeroGivesTheGrayscaleImageInEveryChannel() {
    // One pixel (R, G, B) = (1, 0, 0): gray 0.2989.
    INDArray red = Components.array(new double[] {1, 0, 0}, 1, 3, 1, 1);
    assertArrayEquals(new double[] {0.2989, 0.2989, 0.2989},
        Components.values(ColorJitter.saturation(red, Nd4j.createFromArray(0.0))), 1e-12);
  }

  @Test
  void aThirdOfATurnOfHueMakesRedGreenAndGreenBlue() {
    INDArray pixels = Components.array(new double[] {1, 0, 0, 1, 0, 0}, 1, 3, 1, 2); // red, green
    INDArray out = ColorJitter.hue(pixels, Nd4j.createFromArray(1.0 / 3));
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 1}, Components.values(out), 1e-6); // green, blue
    INDArray back = ColorJitter.hue(pixels, Nd4j.createFromArray(-1.0 / 3));
    assertArrayEquals(new double[] {0, 1, 0, 0, 1, 0}, Components.values(back), 1e-6); // blue, red
  }

  @Test
  void eachSampleOfAConstantBatchGetsItsOwnBrightnessAndStaysConstant() {
    Augmenter jitter = Components.create("color_jitter", Map.of("brightness", 0.5));
    INDArray out = Components.apply(jitter, constant(0.5, 32, 1, 3, 3).castTo(DataType.FLOAT), 7);
    Set<Double> levels = new HashSet<>();
    for (int i = 0; i < 32; i++) {
      INDArray sample = out.slice(i);
      double level = sample.getDouble(0);
      assertEquals(level, sample.minNumber().doubleValue(), 1e-7);
      assertEquals(level, sample.maxNumber().doubleValue(), 1e-7);
      assertTrue(level >= 0.25 - 1e-7 && level <= 0.75 + 1e-7, "0.5 times a factor in [0.5, 1.5]: " + level);
      levels.add(level);
    }
    assertTrue(levels.size() > 20, "per-sample factors: " + levels.size() + " distinct levels");
  }

  @Test
  void allFourKeepRgbImagesInTheUnitRangeAndRepeatWithTheSeed() {
    Augmenter jitter = Components.create("color_jitter",
        Map.of("brightness", 0.8, "contrast", 0.8, "saturation", 0.8, "hue", 0.2));
    INDArray x = Components.images(2, 16, 3, 5, 5);
    INDArray out = Components.apply(jitter, x, 3);
    assertArrayEquals(x.shape(), out.shape());
    assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1);
    assertEquals(out, Components.apply(jitter, x, 3));
    assertNotEquals(out, Components.apply(jitter, x, 4));
  }

  @Test
  void withoutClippingBrightnessScalesStandardizedInputsAboutZero() {
    Augmenter jitter = Components.create("color_jitter", Map.of("brightness", 0.5, "clip", false));
    INDArray out = Components.apply(jitter, constant(-2, 8, 1, 2, 2), 1);
    assertTrue(out.maxNumber().doubleValue() <= -1 + 1e-9 && out.minNumber().doubleValue() >= -3 - 1e-9);
  }

  @Test
  void grayscaleImagesTakeBrightnessAndContrast() {
    Augmenter jitter = Components.create("color_jitter", Map.of("brightness", 0.3, "contrast", 0.3));
    INDArray x = Components.images(5, 8, 1, 4, 4);
    INDArray out = Components.apply(jitter, x, 2);
    assertArrayEquals(x.shape(), out.shape());
    assertNotEquals(x, out);
  }

  @Test
  void saturationOrHueOnGrayscaleImagesIsAnErrorEchoingTheValues() {
    Augmenter jitter = Components.create("color_jitter", Map.of("brightness", 0.2, "saturation", 0.4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Components.apply(jitter, Components.images(1, 2, 1, 4, 4), 1));
    assertTrue(e.getMessage().contains("saturation=0.4") && e.getMessage().contains("1 channel"), e.getMessage());
  }

  @Test
  void twoChannelImagesAreRefused() {
    Augmenter jitter = Components.create("color_jitter", Map.of("brightness", 0.2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Components.apply(jitter, Components.images(1, 2, 2, 4, 4), 1));
    assertTrue(e.getMessage().contains("got 2"), e.getMessage());
  }

  @Test
  void allFactorsZeroIsRefusedBecauseItWouldDoNothing() {
    ComponentException e = assertThrows(ComponentException.class, () -> Components.create("color_jitter", Map.of()));
    assertTrue(e.getMessage().contains("every factor is 0"), e.getMessage());
  }
}
