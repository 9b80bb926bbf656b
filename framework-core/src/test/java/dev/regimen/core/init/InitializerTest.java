package dev.regimen.core.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.tensor.Rng;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The initializers' draws against their formulas. Tolerances come from the sample size: with n
 * independent draws of variance v, the sample mean has standard error sqrt(v / n) and the sample
 * variance sqrt((m4 - v^2) / n), m4 the fourth central moment (3 v^2 for a normal, 9/5 v^2 for a
 * uniform); the checks allow five standard errors, so a correct initializer fails about once in
 * two million seeds, and these seeds are fixed.
 */
class InitializerTest {
  private static final long FAN_IN = 120;
  private static final long FAN_OUT = 80;
  private static final long[] SHAPE = {FAN_IN, FAN_OUT * 5};
  private static final double SIGMAS = 5;

  /** The distribution each initializer should draw from. */
  @ParameterizedTest(name = "{0} {1}: variance {3}")
  @CsvSource({
      // name, options, normal?, expected variance
      "he_normal,      '',                     true,  0.016666666666666666", // 2 / 120
      "he_normal,      mode=fan_out,           true,  0.025",                // 2 / 80
      "he_normal,      negative_slope=0.5,     true,  0.013333333333333334", // 2 / (1.25 * 120)
      "he_uniform,     '',                     false, 0.016666666666666666",
      "he_uniform,     mode=fan_out,           false, 0.025",
      "glorot_normal,  '',                     true,  0.01",                 // 2 / 200
      "glorot_normal,  gain=2,                 true,  0.04",
      "glorot_uniform, '',                     false, 0.01",
      "glorot_uniform, gain=0.5,               false, 0.0025"})
  void drawsMatchTheFormula(String name, String options, boolean normal, double variance) {
    Initializer init = InitializerFactories.create(name, parse(options));
    INDArray w = init.initialize(SHAPE, FAN_IN, FAN_OUT, DataType.DOUBLE, new Rng(7));

    assertArrayEquals(SHAPE, w.shape());
    assertEquals(DataType.DOUBLE, w.dataType());
    double n = w.length();
    double mean = w.meanNumber().doubleValue();
    double sampleVariance = w.sub(mean).muli(w.sub(mean)).meanNumber().doubleValue();
    double fourthMoment = (normal ? 3.0 : 9.0 / 5.0) * variance * variance;
    assertEquals(0, mean, SIGMAS * Math.sqrt(variance / n), "mean");
    assertEquals(variance, sampleVariance, SIGMAS * Math.sqrt((fourthMoment - variance * variance) / n), "variance");

    double maxAbs = w.amaxNumber().doubleValue();
    if (normal) {
      // About 0.3% of normal draws lie beyond 3 std: a normal is not truncated at 2 std as Keras does.
      assertTrue(maxAbs > 3 * Math.sqrt(variance), "max |w| " + maxAbs);
    } else {
      double limit = Math.sqrt(3 * variance);
      assertTrue(maxAbs <= limit && maxAbs > 0.999 * limit, "max |w| " + maxAbs + " against the limit " + limit);
    }
  }

  @Test
  void zerosOnesAndConstantFillEveryElement() {
    Rng rng = new Rng(1);
    assertEquals(0.0, InitializerFactories.create("zeros").initialize(SHAPE, 1, 1, DataType.FLOAT, rng)
        .amaxNumber().doubleValue());
    INDArray ones = InitializerFactories.create("ones").initialize(new long[] {3, 2}, 3, 2, DataType.FLOAT, rng);
    assertEquals(6.0, ones.sumNumber().doubleValue());
    assertEquals(DataType.FLOAT, ones.dataType());
    INDArray c = InitializerFactories.create("constant", Map.of("value", 0.25))
        .initialize(new long[] {4}, 4, 4, DataType.DOUBLE, rng);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, c.toDoubleVector());
    assertEquals(0, rng.position(), "constant initializers draw nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"he_normal", "he_uniform", "glorot_normal", "glorot_uniform"})
  void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers(String name) {
    Initializer init = InitializerFactories.create(name);
    long[] shape = {6, 5};
    INDArray a = init.initialize(shape, 6, 5, DataType.FLOAT, new Rng(3));
    INDArray b = init.initialize(shape, 6, 5, DataType.FLOAT, new Rng(3));
    INDArray c = init.initialize(shape, 6, 5, DataType.FLOAT, new Rng(4));
    assertArrayEquals(a.dup('c').data().asFloat(), b.dup('c').data().asFloat());
    assertFalse(Arrays.equals(a.dup('c').data().asFloat(), c.dup('c').data().asFloat()));
  }

  @Test
  void listsTheBuiltInsAsInitializerFactories() {
    assertEquals(List.of("he_normal", "he_uniform", "glorot_normal", "glorot_uniform", "zeros", "ones", "constant"),
        InitializerFactories.names());
    for (ComponentFactory<Initializer> factory : InitializerFactories.all()) {
      assertEquals(ComponentKind.INITIALIZER, factory.kind(), factory.name());
    }
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    ComponentException e = assertThrows(ComponentException.class, () -> InitializerFactories.create("xavier"));
    assertTrue(e.getMessage().contains("'xavier'") && e.getMessage().contains("glorot_uniform"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "glorot_uniform, gain=0,               gain=0.0",
      "glorot_normal,  gain=-1,              gain=-1",
      "he_normal,      mode=fan_avg,         mode='fan_avg'",
      "he_uniform,     negative_slope=-0.2,  negative_slope=-0.2"})
  void badOptionsAreEchoed(String name, String options, String echoed) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InitializerFactories.create(name, parse(options)));
    assertTrue(e.getMessage().contains("Received: " + echoed), e.getMessage());
  }

  @Test
  void anEmptyFanIsRefusedNamingTheShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HeNormal().initialize(new long[] {0, 3}, 0, 3, DataType.FLOAT, new Rng(1)));
    assertTrue(e.getMessage().contains("fan_in=0") && e.getMessage().contains("[0, 3]"), e.getMessage());
  }

  /** {@code key=value} with a number or a string value, or nothing. */
  private static Map<String, Object> parse(String options) {
    if (options == null || options.isBlank()) {
      return Map.of();
    }
    String[] kv = options.split("=");
    Object value;
    try {
      value = Double.parseDouble(kv[1]);
    } catch (NumberFormatException e) {
      value = kv[1];
    }
    return Map.of(kv[0].trim(), value);
  }
}
