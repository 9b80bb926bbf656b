package dev.regimen.plugins.dropout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SpatialDropoutTest extends NoiseLayerContract {
  SpatialDropoutTest() {
    super(new SpatialDropout.Factory(), Map.of("rate", 0.3), 2, 3, 3);
  }

  @Test
  void dropsWholeChannelsWithTheExpectationAndVariancePerChannel() {
    double rate = 0.4;
    int n = 20_000;
    int channels = 3;
    // Channel c holds the constant c + 1 over a 2 x 2 map.
    INDArray x = Nd4j.create(DataType.DOUBLE, n, channels, 2, 2);
    for (int c = 0; c < channels; c++) {
      x.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(c + 1);
    }
    INDArray y = Components.train(Components.create("dropout.spatial", Map.of("rate", rate)), Tensor.of(x), 51).array();

    // A whole map is kept or dropped: within each (sample, channel) the four values are equal.
    INDArray perMap = y.reshape(n, channels, 4);
    assertTrue(perMap.max(2).equalsWithEps(perMap.min(2), 0), "every map is kept or dropped as a whole");
    INDArray first = perMap.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0));
    for (int c = 0; c < channels; c++) {
      double v = c + 1;
      Moments m = Moments.of(Components.column(first, c));
      m.assertMean(v, "channel " + c);
      m.assertVariance(v * v * rate / (1 - rate), "channel " + c);
    }
  }

  @Test
  void refusesInputThatIsNotNchwNamingTheShape() {
    Layer layer = Components.create("dropout.spatial", Map.of());
    ShapeException e = assertThrows(ShapeException.class, () -> layer.outputShape(new long[] {8}));
    assertTrue(e.getMessage().contains("[C, H, W]") && e.getMessage().contains("[8]"), e.getMessage());
  }
}
