package dev.regimen.api.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.AbstractLayer;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The component checks that {@code plugins --check} and the test kit's PluginContract share, each failure in its words. */
class ComponentCheckTest {
  private static final OptionSpec SIZE = OptionSpec.of("size", OptionType.INT, 4, "side in pixels").atLeast(1);
  private static final Augmenter IDENTITY = (batch, ctx) -> batch;

  @Test
  void aDocumentedComponentMadeWithItsDefaultsPasses() {
    ComponentCheck check = ComponentCheck.of(augmenter("Keeps the batch", List.of(SIZE), o -> IDENTITY), Map.of());
    assertEquals(List.of(Finding.ok("augmenter demo: 1 option, made with the defaults")), check.findings());
    assertTrue(check.passed() && check.made());
  }

  @Test
  void givenOptionsAreNamedInTheFinding() {
    ComponentCheck check = ComponentCheck.of(augmenter("Keeps the batch", List.of(SIZE), o -> IDENTITY),
        Map.of("size", 2));
    assertEquals(List.of(Finding.ok("augmenter demo: 1 option, made with the options {size=2}")), check.findings());
  }

  @Test
  void aMissingDescriptionOfTheComponentOrAnOptionIsAnErrorEvenWhenItIsMade() {
    OptionSpec undocumented = OptionSpec.of("p", OptionType.DOUBLE, 0.5, " ");
    ComponentCheck check = ComponentCheck.of(augmenter("", List.of(SIZE, undocumented), o -> IDENTITY), Map.of());
    assertEquals(List.of("augmenter demo: no description (listings show one line saying what it does)",
        "augmenter demo: option 'p' has no description"), messages(check.errors()));
    assertTrue(check.made());
    assertFalse(check.passed());
  }

  @Test
  void aRequiredOptionWithoutAValueIsANoteAndTheComponentIsNotMade() {
    ComponentFactory<Augmenter> factory = augmenter("Needs a size",
        List.of(OptionSpec.required("size", OptionType.INT, "side in pixels")), o -> IDENTITY);
    ComponentCheck check = ComponentCheck.of(factory, Map.of());
    assertEquals(List.of(Finding.note("augmenter demo: not made, as option size is required")), check.findings());
    assertTrue(check.passed());
    assertFalse(check.made());
    assertTrue(ComponentCheck.of(factory, Map.of("size", 3)).made(), "made once the option is given");
  }

  @Test
  void defaultsThatTheComponentsOwnChecksRefuseAreANote() {
    ComponentCheck check = ComponentCheck.of(augmenter("Refuses", List.of(SIZE), o -> {
      throw new ComponentException("choose at least one factor");
    }), Map.of());
    assertEquals(List.of(Finding.note("augmenter demo: not made, as its default options are refused:"
        + " choose at least one factor")), check.findings());
    assertFalse(check.made());
  }

  @Test
  void aFactoryThatThrowsOnItsDefaultsIsAnErrorNamingTheExceptionAndItsCause() {
    ComponentCheck check = ComponentCheck.of(augmenter("Throws", List.of(SIZE), o -> {
      throw new IllegalStateException("not ready", new ArithmeticException("/ by zero"));
    }), Map.of());
    assertEquals(List.of("augmenter demo: cannot be made with its default options: IllegalStateException: not ready"
        + " (caused by ArithmeticException: / by zero)"), messages(check.errors()));
    assertFalse(check.made());
  }

  @Test
  void aFactoryThatMakesNullOrAnotherKindIsAnError() {
    assertEquals(List.of("augmenter demo: its factory made null, which is not a dev.regimen.api.train.Augmenter"),
        messages(ComponentCheck.of(augmenter("Null", List.of(), o -> null), Map.of()).errors()));
    ComponentFactory<Object> metricMakingALayer = factory(ComponentKind.METRIC, o -> layer(UnaryOperator.identity()));
    List<String> errors = messages(ComponentCheck.of(metricMakingALayer, Map.of()).errors());
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("metric demo: its factory made a ")
        && errors.get(0).endsWith(", which is not a dev.regimen.api.train.Metric"), errors.get(0));
  }

  @Test
  void aLayerRunsForwardInTrainingAndEvaluation() {
    ComponentCheck check = ComponentCheck.of(factory(ComponentKind.LAYER, o -> layer(x -> x.mul(2))), Map.of());
    assertEquals(List.of(Finding.ok("layer demo: 0 options, made with the defaults; forward on [2, 8] -> [2, 8]"
        + " in training and evaluation")), check.findings());
  }

  @Test
  void aLayerWhoseForwardBreaksItsOwnShapeOrGivesNaNIsAnError() {
    assertEquals(List.of("layer demo: forward on [2, 8] in training gave shape [2, 4], but its outputShape says [2, 8]"),
        messages(ComponentCheck.of(factory(ComponentKind.LAYER,
            o -> layer(x -> x.slice(1, 0, 4))), Map.of()).errors()));
    assertEquals(List.of("layer demo: forward on [2, 8] in training gave NaN or infinite values"),
        messages(ComponentCheck.of(factory(ComponentKind.LAYER, o -> layer(x -> x.div(0))), Map.of()).errors()));
  }

  @Test
  void aLayerThatTakesNoneOfTheTestInputsIsANote() {
    Layer sequences = new AbstractLayer("demo", Options.parse("layer 'demo'", List.of(), Map.of())) {
      @Override
      public long[] outputShape(long[] inputShape) {
        throw new ShapeException("needs [T, F] sequences");
      }

      @Override
      protected Tensor call(Tensor input, ForwardContext ctx) {
        return input;
      }
    };
    ComponentCheck check = ComponentCheck.of(factory(ComponentKind.LAYER, o -> sequences), Map.of());
    assertEquals(List.of(Finding.note("layer demo: forward not run, as it accepts none of the test inputs ([8]:"
        + " ShapeException: needs [T, F] sequences; [3, 8, 8]: ShapeException: needs [T, F] sequences)")),
        check.findings());
    assertTrue(check.made() && check.passed());
  }

  // ---- fixtures

  private static ComponentFactory<Augmenter> augmenter(String description, List<OptionSpec> options,
      Function<Options, Augmenter> make) {
    return new AbstractComponentFactory<>(ComponentKind.AUGMENTER, "demo", description, options) {
      @Override
      public Augmenter create(Options o) {
        return make.apply(o);
      }
    };
  }

  private static ComponentFactory<Object> factory(ComponentKind kind, Function<Options, Object> make) {
    return new AbstractComponentFactory<>(kind, "demo", "A fixture", List.of()) {
      @Override
      public Object create(Options o) {
        return make.apply(o);
      }
    };
  }

  /** A layer that keeps its input's shape in its shape inference and computes {@code forward}. */
  private static Layer layer(UnaryOperator<Tensor> forward) {
    return new AbstractLayer("demo", Options.parse("layer 'demo'", List.of(), Map.of())) {
      @Override
      public long[] outputShape(long[] inputShape) {
        return inputShape.clone();
      }

      @Override
      protected Tensor call(Tensor input, ForwardContext ctx) {
        return forward.apply(input);
      }
    };
  }

  private static List<String> messages(List<Finding> findings) {
    return findings.stream().map(Finding::message).toList();
  }
}
