package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options are refused with a message that names the option and echoes the value received. */
class BadOptionsTest {

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
      "flip,            p,          1.5,  'Received: p=1.5'",
      "flip,            p,          -0.1, 'Received: p=-0.1'",
      "random_crop,     padding,    -1,   'Received: padding=-1'",
      "color_jitter,    brightness, -0.2, 'Received: brightness=-0.2'",
      "color_jitter,    hue,        0.6,  'Received: hue=0.6'",
      "affine,          degrees,    200,  'Received: degrees=200'",
      "affine,          translate,  1.5,  'Received: translate=1.5'",
      "gaussian_noise,  sigma,      -1,   'Received: sigma=-1'",
      "label_smoothing, epsilon,    1.0,  'Received: epsilon=1.0'",
      "label_smoothing, epsilon,    NaN,  'Received: epsilon=NaN'",
      "mixup,           alpha,      -1,   'Received: alpha=-1'",
      "random_erasing,  p,          1.5,  'Received: p=1.5'",
      "cutmix,          alpha,      -1,   'Received: alpha=-1'",
      "mixup,           switch_prob, 1.5, 'Received: switch_prob=1.5'",
      "flip,            off_last_epochs, -1, 'Received: off_last_epochs=-1'",
      "randaugment,     magnitude,  31,   'Received: magnitude=31'",
      "randaugment,     num_ops,    0,    'Received: num_ops=0'",
      "augmix,          severity,   11,   'Received: severity=11'",
      "augmix,          width,      0,    'Received: width=0'",
      "augmix,          depth,      0,    'Received: depth=0'",
      "augmix,          alpha,      0.0,  'Received: alpha=0.0'",
  })
  void outOfRangeValuesAreRefusedEchoingTheValue(String name, String option, String value, String echo) {
    Object parsed = value.contains(".") || value.equals("NaN") ? (Object) Double.parseDouble(value)
        : (Object) Integer.parseInt(value);
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create(name, Map.of(option, parsed)));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
    assertTrue(e.getMessage().contains(option), "the message names the option: " + e.getMessage());
  }

  @Test
  void anUnknownCropModeListsTheModes() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("random_crop", Map.of("mode", "center")));
    assertTrue(e.getMessage().contains("one of pad, resized") && e.getMessage().contains("Received: mode='center'"),
        e.getMessage());
  }

  @Test
  void rangesMustHaveTwoOrderedPositiveEnds() {
    ComponentException reversed = assertThrows(ComponentException.class,
        () -> Components.create("random_crop", Map.of("mode", "resized", "scale", List.of(0.9, 0.2))));
    assertTrue(reversed.getMessage().contains("Received: scale=[0.9, 0.2]"), reversed.getMessage());
    ComponentException tooBig = assertThrows(ComponentException.class,
        () -> Components.create("random_crop", Map.of("scale", List.of(0.5, 1.5))));
    assertTrue(tooBig.getMessage().contains("Received: scale=[0.5, 1.5]"), tooBig.getMessage());
    ComponentException zoom = assertThrows(ComponentException.class,
        () -> Components.create("affine", Map.of("scale", List.of(0.0, 1.0))));
    assertTrue(zoom.getMessage().contains("Received: scale=[0.0, 1.0]"), zoom.getMessage());
    ComponentException three = assertThrows(ComponentException.class,
        () -> Components.create("affine", Map.of("translate", List.of(0.1, 0.1, 0.1))));
    assertTrue(three.getMessage().contains("Received: translate=[0.1, 0.1, 0.1]"), three.getMessage());
  }

  @Test
  void randomErasingChecksItsRangesAndFill() {
    ComponentException scale = assertThrows(ComponentException.class,
        () -> Components.create("random_erasing", Map.of("scale", List.of(0.2, 1.5))));
    assertTrue(scale.getMessage().contains("Received: scale=[0.2, 1.5]"), scale.getMessage());
    ComponentException ratio = assertThrows(ComponentException.class,
        () -> Components.create("random_erasing", Map.of("ratio", List.of(3.0, 0.3))));
    assertTrue(ratio.getMessage().contains("Received: ratio=[3.0, 0.3]"), ratio.getMessage());
    ComponentException fill = assertThrows(ComponentException.class,
        () -> Components.create("random_erasing", Map.of("fill", "zero")));
    assertTrue(fill.getMessage().contains("Received: fill='zero'"), fill.getMessage());
  }

  @Test
  void mixupAlphaZeroIsRefused() {
    ComponentException e = assertThrows(ComponentException.class, () -> Components.create("mixup",
        Map.of("alpha", 0)));
    assertTrue(e.getMessage().contains("Received: alpha=0.0"), e.getMessage());
    ComponentException cut = assertThrows(ComponentException.class, () -> Components.create("mixup",
        Map.of("cutmix_alpha", 0)));
    assertTrue(cut.getMessage().contains("Received: cutmix_alpha=0.0"), cut.getMessage());
    ComponentException cutmix = assertThrows(ComponentException.class, () -> Components.create("cutmix",
        Map.of("alpha", 0)));
    assertTrue(cutmix.getMessage().contains("Received: alpha=0.0"), cutmix.getMessage());
  }

  @Test
  void anUnknownOptionListsTheKnownOnes() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> Components.create("label_smoothing", Map.of("smoothing", 0.1)));
    assertTrue(e.getMessage().contains("Known options: epsilon"), e.getMessage());
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    Components.create("flip", Map.of("p", 1.0));
    Components.create("color_jitter", Map.of("hue", 0.5));
    Components.create("affine", Map.of("degrees", 180, "translate", 1.0));
    Components.create("label_smoothing", Map.of("epsilon", 0.0));
    Components.create("random_crop", Map.of("padding", 0, "scale", List.of(1.0, 1.0)));
  }
}
