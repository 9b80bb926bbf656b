package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code batchnorm.ghost} (Hoffer et al. 2017): in training each ghost batch is batch-normalized with
 * its own statistics, exactly as {@code batchnorm} on that ghost batch alone, and each moves the
 * running statistics; at evaluation it is {@code batchnorm}.
 */
class GhostBatchNormTest extends LayerContract {
  GhostBatchNormTest() {
    super(new BatchNorm.GhostFactory(), Map.of("virtual_batch_size", 3), 4);
  }

  /** Two ghost batches of three. */
  @Override
  protected int batchSize() {
    return 6;
  }

  @Override
  protected boolean sameInTrainingAndEvaluation() {
    return false;
  }

  private static Layer built(ComponentFactory<Layer> factory, Map<String, ?> options) {
    return Layers.build(factory.create(options), new long[] {3, 2, 2}, new Rng(1));
  }

  @ParameterizedTest(name = "N={0}, virtual_batch_size={1}")
  @CsvSource({"12, 4, 4", "17, 16, 9", "8, 8, 8", "10, 3, 3"})
  void eachGhostBatchIsNormalizedAsBatchNormOnItAloneAndMovesTheRunningStatistics(int n, int virtual, int size) {
    Layer ghost = built(new BatchNorm.GhostFactory(), Map.of("virtual_batch_size", virtual, "momentum", 0.3));
    Layer plain = built(new BatchNorm.Factory(), Map.of("momentum", 0.3));
    for (Layer bn : List.of(ghost, plain)) {
      bn.parameters().get("gamma").array().assign(new Rng(2).normal(Tensor.defaultType(), 1, 0.3, 3));
      bn.parameters().get("beta").array().assign(new Rng(3).normal(Tensor.defaultType(), 0, 0.3, 3));
    }
    Tensor x = Tensor.of(new Rng(4).normal(Tensor.defaultType(), 2, 3, n, 3, 2, 2));

    INDArray y = ghost.forward(x, ForwardContext.training(new Rng(5))).array();
    List<INDArray> parts = new ArrayList<>();
    for (int start = 0; start < n; start += size) {
      parts.add(plain.forward(x.slice(0, start, Math.min(n, start + size)), ForwardContext.training(new Rng(5)))
          .array());
    }
    INDArray expected = org.nd4j.linalg.factory.Nd4j.concat(0, parts.toArray(INDArray[]::new));
    assertTrue(y.equalsWithEps(expected, 1e-5), "ghost output " + y + " vs batch norm per ghost batch " + expected);
    for (String buffer : List.of("running_mean", "running_var")) {
      assertArrayEquals(values(plain.buffers().get(buffer)), values(ghost.buffers().get(buffer)), 1e-5, buffer);
    }
    assertArrayEquals(values(evaluate(plain, x)), values(evaluate(ghost, x)), 1e-5, "evaluation is batch norm");
  }

  @Test
  void everyGhostBatchHasMeanZeroAndVarianceOnePerChannelNotOnlyTheWholeBatch() {
    Layer ghost = built(new BatchNorm.GhostFactory(), Map.of("virtual_batch_size", 4, "affine", false));
    // The second ghost batch is shifted: whole-batch statistics would leave the halves apart.
    INDArray raw = new Rng(6).normal(DataType.DOUBLE, 0, 1, 8, 3, 2, 2).castTo(Tensor.defaultType());
    raw.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8)).addi(5);
    INDArray y = ghost.forward(Tensor.of(raw), ForwardContext.training(new Rng(7))).array();
    for (int g = 0; g < 2; g++) {
      INDArray part = y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4 * g, 4 * g + 4)).dup();
      INDArray mean = part.mean(0, 2, 3);
      INDArray variance = part.var(false, 0, 2, 3);
      assertTrue(mean.amaxNumber().doubleValue() < 1e-5, "ghost batch " + g + " mean " + mean);
      assertTrue(variance.sub(1).amaxNumber().doubleValue() < 1e-3, "ghost batch " + g + " variance " + variance);
    }
  }

  @Test
  void virtualBatchSizeIsRequiredAndAtLeastTwo() {
    ComponentException missing = assertThrows(ComponentException.class,
        () -> new BatchNorm.GhostFactory().create(Map.of()));
    assertTrue(missing.getMessage().contains("'virtual_batch_size'"), missing.getMessage());
    ComponentException one = assertThrows(ComponentException.class,
        () -> new BatchNorm.GhostFactory().create(Map.of("virtual_batch_size", 1)));
    assertTrue(one.getMessage().contains("Received: virtual_batch_size=1"), one.getMessage());
  }
}
