package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianNoiseTest {

  @Test
  void addsNoiseOfMeanZeroAndStandardDeviationSigma() {
    INDArray x = Nd4j.valueArrayOf(new long[] {50, 1, 20, 20}, 0.5, DataType.FLOAT);
    INDArray noise = Components.apply(Components.create("gaussian_noise", Map.of("sigma", 0.3)), x, 1).sub(x);
    assertEquals(0, noise.meanNumber().doubleValue(), 0.01);
    assertEquals(0.3, noise.stdNumber().doubleValue(), 0.01);
  }

  @Test
  void acceptsFlatRowsAsWellAsImagesAndKeepsTheShape() {
    Augmenter noise = Components.create("gaussian_noise", Map.of());
    for (INDArray x : new INDArray[] {Nd4j.rand(DataType.FLOAT, 8, 64), Components.images(1, 8, 3, 4, 4)}) {
      INDArray out = Components.apply(noise, x, 2);
      assertArrayEquals(x.shape(), out.shape());
      assertEquals(out, Components.apply(noise, x, 2));
      assertNotEquals(out, Components.apply(noise, x, 3));
    }
  }

  @Test
  void sigmaZeroReturnsTheBatchUntouched() {
    Batch batch = Components.batch(Nd4j.rand(DataType.FLOAT, 4, 3), 10);
    assertSame(batch, Components.create("gaussian_noise", Map.of("sigma", 0)).apply(batch, FakeAugmenterContext.seeded(1, 10)));
  }
}
