package dev.regimen.api.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Option parsing: the one place where every component's names, types and ranges are checked. */
class OptionsTest {
  private static final String OWNER = "layer 'demo'";

  private static final List<OptionSpec> SPECS = List.of(
      OptionSpec.required("units", OptionType.INT, "output size").atLeast(1),
      OptionSpec.of("rate", OptionType.DOUBLE, 0.5, "drop probability").rangeExclusive(0, 1),
      OptionSpec.of("use_bias", OptionType.BOOLEAN, true, "whether to add a bias"),
      OptionSpec.of("activation", OptionType.STRING, "relu", "nonlinearity").oneOf("relu", "tanh"),
      OptionSpec.of("kernel_size", OptionType.INT_LIST, List.of(3, 3), "window").atLeast(1),
      OptionSpec.of("weights", OptionType.DOUBLE_LIST, null, "per-class weights").range(0, 10),
      OptionSpec.of("callback", OptionType.ANY, null, "anything"));

  private static Options parse(Map<String, ?> raw) {
    return Options.parse(OWNER, SPECS, raw);
  }

  /** The raw options with units filled in, so that a test varies only what it is about. */
  private static Map<String, Object> with(Object... keysAndValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("units", 4);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      raw.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return raw;
  }

  private static String rejection(Map<String, ?> raw) {
    return assertThrows(ComponentException.class, () -> parse(raw)).getMessage();
  }

  private static void assertContains(String message, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), () -> "'" + fragment + "' missing from: " + message);
    }
  }

  @Test
  void anUnknownOptionListsTheKnownOnes() {
    String message = rejection(with("dropout", 0.1));
    assertContains(message, "Unknown option 'dropout'", OWNER,
        "Known options: units, rate, use_bias, activation, kernel_size, weights, callback");
  }

  @Test
  void anUnknownOptionOfAComponentWithoutOptionsSaysSo() {
    String message = assertThrows(ComponentException.class,
        () -> Options.parse("layer 'flatten'", List.of(), Map.of("axis", 1))).getMessage();
    assertContains(message, "Unknown option 'axis'", "Known options: none");
  }

  @Test
  void aWrongTypeNamesTheOptionAndEchoesTheValue() {
    assertContains(rejection(with("rate", "high")), "'rate'", OWNER, "a number", "Received: rate='high'");
    assertContains(rejection(with("use_bias", 1)), "'use_bias'", "true or false", "Received: use_bias=1");
    assertContains(rejection(with("activation", 3)), "'activation'", "a string", "Received: activation=3");
    assertContains(rejection(with("units", "four")), "'units'", "an integer", "Received: units='four'");
  }

  @Test
  void anOutOfRangeValueNamesTheRangeAndEchoesTheValue() {
    assertContains(rejection(with("rate", 1.5)), "'rate'", "[0, 1)", "Received: rate=1.5");
    assertContains(rejection(with("rate", 1.0)), "[0, 1)", "Received: rate=1.0");
    assertContains(rejection(with("rate", Double.NaN)), "Received: rate=NaN");
    assertContains(rejection(with("units", 0)), "'units'", ">= 1", "Received: units=0");
    assertContains(rejection(with("activation", "swish")), "one of relu, tanh", "Received: activation='swish'");
  }

  @Test
  void boundsAreInclusiveUnlessDeclaredExclusive() {
    assertEquals(0.0, parse(with("rate", 0)).getDouble("rate"));
    assertEquals(1, parse(with("units", 1)).getInt("units"));
    assertEquals(List.of(0.0, 10.0), parse(with("weights", List.of(0, 10))).getDoubleList("weights"));
  }

  @Test
  void defaultsAreFilledIn() {
    Options options = parse(with());
    assertEquals(4, options.getInt("units"));
    assertEquals(0.5, options.getDouble("rate"));
    assertTrue(options.getBoolean("use_bias"));
    assertEquals("relu", options.getString("activation"));
    assertEquals(List.of(3, 3), options.getIntList("kernel_size"));
    assertFalse(options.has("weights"), "an option without a default stays absent");
    assertEquals(List.of("units", "rate", "use_bias", "activation", "kernel_size"), List.copyOf(options.asMap().keySet()));
    assertEquals(OWNER, options.owner());
  }

  @Test
  void aMissingRequiredOptionIsNamedWithItsMeaning() {
    assertContains(rejection(Map.of()), "Option 'units'", OWNER, "required", "output size");
    Map<String, Object> explicitNull = new LinkedHashMap<>();
    explicitNull.put("units", null);
    assertContains(rejection(explicitNull), "Option 'units'", "required");
  }

  @Test
  void readingAnAbsentOptionSaysSo() {
    ComponentException e = assertThrows(ComponentException.class, () -> parse(with()).getDoubleList("weights"));
    assertContains(e.getMessage(), "'weights'", "no value");
  }

  @Test
  void camelCaseNamesAreAcceptedAndEchoedAsWritten() {
    Options options = parse(with("useBias", false, "kernelSize", List.of(5, 1)));
    assertFalse(options.getBoolean("use_bias"));
    assertEquals(List.of(5, 1), options.getIntList("kernel_size"));
    assertContains(rejection(with("useBias", "yes")), "'use_bias'", "Received: useBias='yes'");
    assertContains(rejection(with("kernelSize", List.of(0))), "Received: kernelSize=[0]");
  }

  @Test
  void theSameOptionTwiceIsAnError() {
    assertContains(rejection(with("use_bias", true, "useBias", false)), "'use_bias'", "twice");
  }

  @ParameterizedTest(name = "units={0}")
  @ValueSource(doubles = {3.0, 1.0, 1e6})
  void anIntegerMayArriveAsAWholeDouble(double units) {
    assertEquals((int) units, parse(with("units", units)).getInt("units"));
  }

  @ParameterizedTest(name = "units={0}")
  @ValueSource(doubles = {3.5, 0.1, Double.NaN, Double.POSITIVE_INFINITY, 1e10})
  void anIntegerRejectsFractionsAndWhatDoesNotFit(double units) {
    assertContains(rejection(with("units", units)), "'units'", "an integer", "Received: units=" + units);
  }

  @Test
  void integersOfEveryJavaWidthAreAccepted() {
    assertEquals(7, parse(with("units", 7L)).getInt("units"));
    assertEquals(7, parse(with("units", (short) 7)).getInt("units"));
    assertContains(rejection(with("units", 1L << 40)), "an integer", "Received: units=" + (1L << 40));
  }

  @Test
  void aDoubleAcceptsAnInteger() {
    assertEquals(0.0, parse(with("rate", 0)).getDouble("rate"));
  }

  @Test
  void listsAcceptListsArraysAndSingleValues() {
    assertEquals(List.of(2, 3), parse(with("kernel_size", List.of(2, 3))).getIntList("kernel_size"));
    assertEquals(List.of(2, 3), parse(with("kernel_size", List.of(2.0, 3.0))).getIntList("kernel_size"));
    assertEquals(List.of(2, 3), parse(with("kernel_size", new int[] {2, 3})).getIntList("kernel_size"));
    assertEquals(List.of(5), parse(with("kernel_size", 5)).getIntList("kernel_size"));
    assertEquals(List.of(0.5, 2.0), parse(with("weights", new double[] {0.5, 2})).getDoubleList("weights"));
    assertEquals(List.of(1.0), parse(with("weights", 1)).getDoubleList("weights"));
  }

  @Test
  void listsCheckEveryElement() {
    assertContains(rejection(with("kernel_size", List.of(2, 2.5))), "'kernel_size'",
        "an integer or a list of integers", "Received: kernel_size=[2, 2.5]");
    assertContains(rejection(with("kernel_size", List.of(3, 0))), ">= 1", "Received: kernel_size=[3, 0]");
    assertContains(rejection(with("kernel_size", new int[] {3, 0})), "Received: kernel_size=[3, 0]");
    assertContains(rejection(with("weights", List.of(1, "a"))), "a number or a list of numbers",
        "Received: weights=[1, a]");
    assertContains(rejection(with("weights", "1, 2")), "Received: weights='1, 2'");
  }

  @Test
  void listsCannotBeChangedAfterParsing() {
    List<Integer> kernel = parse(with("kernel_size", List.of(2, 3))).getIntList("kernel_size");
    assertThrows(UnsupportedOperationException.class, () -> kernel.add(4));
    assertThrows(UnsupportedOperationException.class, () -> parse(with()).asMap().put("rate", 0.1));
  }

  @Test
  void anyPassesTheValueThrough() {
    Object callback = new Object();
    assertEquals(callback, parse(with("callback", callback)).get("callback"));
  }

  @Test
  void aCrossOptionCheckNamesTheComponent() {
    Options options = parse(with());
    ComponentException e = assertThrows(ComponentException.class,
        () -> options.check(options.getInt("units") % 3 == 0, "units must be a multiple of 3; got 4"));
    assertEquals(OWNER + ": units must be a multiple of 3; got 4", e.getMessage());
  }

  @Test
  void aFactoryValidatesBeforeCreating() {
    ComponentFactory<String> factory = new AbstractComponentFactory<>(ComponentKind.LAYER, "demo", "a demo", SPECS) {
      @Override
      public String create(Options options) {
        return "units=" + options.getInt("units");
      }
    };
    assertEquals("units=8", factory.create(Map.of("units", 8.0)));
    assertContains(assertThrows(ComponentException.class, () -> factory.create(Map.of("units", 8, "rate", 2)))
        .getMessage(), "layer 'demo'", "Received: rate=2");
  }
}
