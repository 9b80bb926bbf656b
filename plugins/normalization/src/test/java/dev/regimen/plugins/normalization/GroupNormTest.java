package dev.regimen.plugins.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.testkit.LayerContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code groupnorm} on [C, H, W] with 2 groups, and its two limits: layer norm and instance norm. */
class GroupNormTest extends LayerContract {
  private static final long[] SHAPE = {4, 3, 2};

  @Override
  protected ComponentFactory<Layer> factory() {
    return new GroupNorm.Factory();
  }

  @Override
  protected Map<String, ?> options() {
    return Map.of("groups", 2);
  }

  @Override
  protected long[] inputShape() {
    return SHAPE;
  }

  @Test
  void eachGroupOfEachSampleIsStandardizedThenScaledPerChannel() {
    Layer gn = builtLayer(SEED);
    randomAffine(gn);
    Tensor x = batch(3, 5).mul(2).add(1);
    Tensor expected = Reference.groupNorm(x, 2, gn.parameters().get("gamma").detach(),
        gn.parameters().get("beta").detach(), 1e-5);
    assertArrayEquals(values(expected), values(evaluate(gn, x)), 1e-5);
  }

  @Test
  void oneGroupIsLayerNormOverChannelsAndPositions() {
    Layer gn = Layers.build(new GroupNorm.Factory().create(Map.of("groups", 1)), SHAPE, new Rng(1));
    Layer ln = Layers.build(new LayerNorm.Factory().create(Map.of()), SHAPE, new Rng(1));
    randomAffine(gn);
    // Layer norm's per-element gamma and beta, made equal to group norm's per-channel ones.
    for (String name : new String[] {"gamma", "beta"}) {
      INDArray perChannel = gn.parameters().get(name).array().reshape(SHAPE[0], 1, 1);
      ln.parameters().get(name).array().assign(perChannel.broadcast(SHAPE));
    }
    Tensor x = batch(3, 5).mul(2).add(1);
    assertArrayEquals(values(evaluate(ln, x)), values(evaluate(gn, x)), 1e-6);
  }

  @Test
  void oneGroupPerChannelIsInstanceNorm() {
    Layer gn = Layers.build(new GroupNorm.Factory().create(Map.of("groups", 4)), SHAPE, new Rng(1));
    Layer in = Layers.build(new InstanceNorm.Factory().create(Map.of()), SHAPE, new Rng(1));
    randomAffine(gn);
    in.parameters().get("gamma").array().assign(gn.parameters().get("gamma").array());
    in.parameters().get("beta").array().assign(gn.parameters().get("beta").array());
    Tensor x = batch(3, 5).mul(2).add(1);
    assertSameValues(evaluate(in, x), evaluate(gn, x), "group norm with C groups and instance norm");
  }

  @Test
  void groupsThatDoNotDivideTheChannelsAreRefusedEchoingBothNumbers() {
    Layer gn = new GroupNorm.Factory().create(Map.of("groups", 3));
    ShapeException e = assertThrows(ShapeException.class, () -> Layers.build(gn, SHAPE, new Rng(1)));
    assertTrue(e.getMessage().contains("groups=3") && e.getMessage().contains("4 channels"), e.getMessage());
  }

  @Test
  void groupsAreRequiredAndPositive() {
    ComponentException missing = assertThrows(ComponentException.class, () -> factory().create(Map.of()));
    assertTrue(missing.getMessage().contains("groups"), missing.getMessage());
    ComponentException zero = assertThrows(ComponentException.class, () -> factory().create(Map.of("groups", 0)));
    assertTrue(zero.getMessage().contains("groups=0"), zero.getMessage());
  }

  private static void randomAffine(Layer layer) {
    Tensor gamma = layer.parameters().get("gamma");
    Tensor beta = layer.parameters().get("beta");
    gamma.array().assign(new Rng(3).normal(gamma.dataType(), 1, 1, gamma.shape()));
    beta.array().assign(new Rng(4).normal(beta.dataType(), 0, 1, beta.shape()));
  }
}
