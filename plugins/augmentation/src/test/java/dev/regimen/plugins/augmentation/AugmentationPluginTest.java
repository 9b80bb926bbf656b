package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.testkit.FakeAugmenterContext;
import dev.regimen.testkit.PluginContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the plugin host relies on, and what every augmenter keeps: the batch it is given is never written. */
class AugmentationPluginTest extends PluginContract {

  /** Options that make each component do something on a small RGB batch. */
  private static Map<String, ?> active(String name) {
    return switch (name) {
      case "color_jitter" -> Map.of("brightness", 0.3, "saturation", 0.3);
      case "random_crop" -> Map.of("padding", 1);
      default -> Map.of();
    };
  }

  AugmentationPluginTest() {
    super(AugmentationPlugin.class, java.util.stream.Stream.concat(
        Components.factories().stream().map(f -> Map.entry(f.name(), ComponentKind.AUGMENTER)),
        java.util.stream.Stream.of(Map.entry(AugMixLoss.NAME, ComponentKind.OBJECTIVE)))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  @Override
  protected Map<String, ?> options(String component) {
    return active(component);
  }

  @Test
  void everyAugmenterNamesItselfInToString() {
    for (ComponentFactory<Augmenter> factory : Components.factories()) {
      Augmenter augmenter = factory.create(active(factory.name()));
      assertTrue(augmenter.toString().startsWith(factory.name() + "("), augmenter.toString());
    }
  }

  @Test
  void everyAugmenterCanBeTurnedOffForTheLastEpochs() {
    for (ComponentFactory<Augmenter> factory : Components.factories()) {
      Map<String, Object> options = new java.util.HashMap<>(active(factory.name()));
      options.put("off_last_epochs", 2);
      Augmenter augmenter = factory.create(options);
      assertTrue(augmenter.toString().contains("off_last_epochs=2"), augmenter.toString());
      Batch batch = Components.batch(Components.images(1, 8, 3, 6, 6), 10);
      for (int epoch = 0; epoch < 10; epoch++) {
        Batch out = augmenter.apply(batch, FakeAugmenterContext.seeded(5, 10).atEpoch(epoch, 10));
        boolean changed = !out.inputs().array().equals(batch.inputs().array())
            || !out.targets().array().equals(batch.targets().array());
        assertEquals(epoch < 8, changed, factory.name() + " at epoch " + epoch + " of 10");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"flip", "random_crop", "color_jitter", "affine", "gaussian_noise", "label_smoothing",
      "mixup", "random_erasing", "cutmix", "randaugment", "augmix"})
  void neverWritesTheBatchItIsGivenAndRepeatsWithTheSeed(String name) {
    Augmenter augmenter = Components.create(name, active(name));
    Batch batch = Components.batch(Components.images(1, 8, 3, 6, 6), 10);
    INDArray inputs = batch.inputs().array().dup();
    INDArray targets = batch.targets().array().dup();
    Batch first = augmenter.apply(batch, FakeAugmenterContext.seeded(5, 10));
    Batch second = augmenter.apply(batch, FakeAugmenterContext.seeded(5, 10));
    assertEquals(inputs, batch.inputs().array(), name + " left the inputs alone");
    assertEquals(targets, batch.targets().array(), name + " left the targets alone");
    assertEquals(first.inputs().array(), second.inputs().array());
    assertEquals(first.targets().array(), second.targets().array());
    assertArrayEquals(batch.inputs().shape(), first.inputs().shape());
    assertEquals(batch.size(), first.size());
  }
}
