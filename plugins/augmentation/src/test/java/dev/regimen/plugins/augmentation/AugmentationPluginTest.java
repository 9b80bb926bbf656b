package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;
import org.pf4j.Plugin;

class AugmentationPluginTest {

  /** Options that make each component do something on a small RGB batch. */
  private static Map<String, ?> active(String name) {
    return switch (name) {
      case "color_jitter" -> Map.of("brightness", 0.3, "saturation", 0.3);
      case "random_crop" -> Map.of("padding", 1);
      default -> Map.of();
    };
  }

  @Test
  void pluginClassHasAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    assertInstanceOf(Plugin.class, AugmentationPlugin.class.getConstructor().newInstance());
  }

  @Test
  void pf4jIndexListsOneFactoryPerComponent() throws IOException {
    List<String> indexed = new ArrayList<>();
    for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = url.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith(AugmentationPlugin.class.getPackageName() + "."))
            .forEach(indexed::add);
      }
    }
    List<String> expected = Components.factories().stream().map(f -> f.getClass().getName()).sorted().toList();
    assertEquals(expected, indexed.stream().sorted().toList(), "factories in META-INF/extensions.idx");
  }

  @Test
  void componentsHaveTheirNamesAndAreAugmenters() {
    assertEquals(List.of("flip", "random_crop", "color_jitter", "affine", "gaussian_noise", "label_smoothing",
        "mixup"), Components.factories().stream().map(ComponentFactory::name).toList());
    for (ComponentFactory<Augmenter> factory : Components.factories()) {
      assertEquals(ComponentKind.AUGMENTER, factory.kind(), factory.name());
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      Augmenter augmenter = factory.create(active(factory.name()));
      assertTrue(augmenter.toString().startsWith(factory.name() + "("), augmenter.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"flip", "random_crop", "color_jitter", "affine", "gaussian_noise", "label_smoothing",
      "mixup"})
  void neverWritesTheBatchItIsGivenAndRepeatsWithTheSeed(String name) {
    Augmenter augmenter = Components.create(name, active(name));
    Batch batch = Components.batch(Components.images(1, 8, 3, 6, 6), 10);
    INDArray inputs = batch.inputs().array().dup();
    INDArray targets = batch.targets().array().dup();
    Batch first = augmenter.apply(batch, Components.context(5, 10));
    Batch second = augmenter.apply(batch, Components.context(5, 10));
    assertEquals(inputs, batch.inputs().array(), name + " left the inputs alone");
    assertEquals(targets, batch.targets().array(), name + " left the targets alone");
    assertEquals(first.inputs().array(), second.inputs().array());
    assertEquals(first.targets().array(), second.targets().array());
    assertArrayEquals(batch.inputs().shape(), first.inputs().shape());
    assertEquals(batch.size(), first.size());
  }
}
