package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code cutmix} (Yun et al. 2019): a box of the partner's image replaces the same box of the image,
 * and the targets weigh each class by the share of the image it fills; {@code mixup} with
 * {@code switch_prob} does CutMix for that share of the batches.
 */
class CutMixTest {

  /** n images [n, 1, 8, 8] of the constant i + 1 with label i, n classes. */
  private static Batch constants(int n) {
    INDArray x = Nd4j.arange(n).castTo(DataType.FLOAT).addi(1).reshape(n, 1, 1, 1).broadcast(n, 1, 8, 8).dup();
    return new Batch(Tensor.of(x), Tensor.of(Nd4j.arange(n).castTo(DataType.FLOAT)));
  }

  @Test
  void pastesThePartnersBoxAndMixesTheTargetsByArea() {
    INDArray x = Nd4j.concat(0, Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4), Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4).muli(2));
    Batch batch = new Batch(Tensor.of(x), Tensor.of(Nd4j.createFromArray(0f, 1f)), new int[] {3, 8});
    Batch out = Mixup.cut(batch, new double[] {1, 1, 2, 3}, new int[] {1, 0}, 2);
    assertArrayEquals(new double[] {
        1, 1, 1, 1,
        1, 2, 2, 2,
        1, 2, 2, 2,
        1, 1, 1, 1}, Components.values(out.inputs().array().slice(0)));
    // 6 of 16 pixels come from the partner: lambda' = 10/16 for the sample's own class.
    assertArrayEquals(new double[] {0.625, 0.375, 0.375, 0.625}, Components.values(out.targets().array()), 1e-12);
    assertArrayEquals(new int[] {3, 8}, out.indices());
  }

  @Test
  void boxesHaveTheSidesOfOneMinusLambdaAndStayInTheImage() {
    Rng rng = new Rng(4);
    for (int i = 0; i < 500; i++) {
      double lambda = rng.nextDouble();
      double[] box = Mixup.box(rng, lambda, 8, 12);
      assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 8 && box[1] + box[3] <= 12, "inside: "
          + java.util.Arrays.toString(box));
      long side = (long) (8 * Math.sqrt(1 - lambda));
      assertTrue(box[2] <= 2 * (side / 2), "height " + box[2] + " at most " + side);
    }
  }

  @Test
  void eachTargetWeighsThePartnerByTheShareOfPixelsItPasted() {
    int n = 12;
    Augmenter cutmix = Components.create("cutmix", Map.of());
    int pasted = 0;
    for (long seed = 0; seed < 20; seed++) {
      Batch out = cutmix.apply(constants(n), FakeAugmenterContext.seeded(seed, n));
      INDArray targets = out.targets().array();
      for (int i = 0; i < n; i++) {
        double[] pixels = Components.values(out.inputs().array().slice(i));
        double own = 0;
        for (double v : pixels) {
          assertTrue(v == Math.rint(v) && v >= 1 && v <= n, "a pixel of one of the images: " + v);
          own += v == i + 1 ? 1 : 0;
        }
        double share = own / pixels.length;
        assertEquals(share, targets.getDouble(i, i), 1e-6, "sample " + i + ", seed " + seed);
        assertEquals(1, targets.getRow(i).sumNumber().doubleValue(), 1e-6);
        pasted += share < 1 ? 1 : 0;
      }
    }
    assertTrue(pasted > 100, "most samples got a box: " + pasted + " of 240");
  }

  @Test
  void mixupSwitchesToCutMixForASwitchProbShareOfTheBatches() {
    int n = 6;
    int batches = 400;
    Augmenter mixup = Components.create("mixup", Map.of("alpha", 1.0, "switch_prob", 0.3));
    int cut = 0;
    for (long seed = 0; seed < batches; seed++) {
      INDArray x = mixup.apply(constants(n), FakeAugmenterContext.seeded(seed, n)).inputs().array();
      // CutMix keeps whole pixel values; mixup blends every pixel (lambda in (0, 1)).
      boolean whole = x.sub(Transforms.round(x, true)).amaxNumber().doubleValue() == 0;
      cut += whole ? 1 : 0;
    }
    double share = (double) cut / batches;
    assertEquals(0.3, share, 5 * Math.sqrt(0.3 * 0.7 / batches), "share of CutMix batches");
    Augmenter plain = Components.create("mixup", Map.of("alpha", 1.0));
    Augmenter unswitched = Components.create("mixup", Map.of("alpha", 1.0, "cutmix_alpha", 3.0));
    assertEquals(plain.apply(constants(n), FakeAugmenterContext.seeded(1, n)).inputs().array(),
        unswitched.apply(constants(n), FakeAugmenterContext.seeded(1, n)).inputs().array(),
        "without switch_prob, mixup draws what it always drew");
  }
}
