package dev.regimen.plugins.distillation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Objective;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.testkit.PluginContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the plugin host relies on, and how bad options are refused. */
class DistillationPluginTest extends PluginContract {
  private static final List<ComponentFactory<Objective>> FACTORIES =
      List.of(new KnowledgeDistillation.Factory(), new FitNets.Factory());

  DistillationPluginTest() {
    super(DistillationPlugin.class, Map.of("distillation", ComponentKind.OBJECTIVE, "fitnets", ComponentKind.OBJECTIVE));
  }

  /** Both objectives need a teacher; FitNets also its tap names. */
  @Override
  protected Map<String, ?> options(String component) {
    return base(component);
  }

  @Test
  void aRegistryMakesBothObjectivesByNameWithTheirDefaults() {
    ComponentRegistry registry = new ComponentRegistry();
    registry.registerAll(FACTORIES, "distillation");
    KnowledgeDistillation kd = assertInstanceOf(KnowledgeDistillation.class,
        registry.create(ComponentKind.OBJECTIVE, "distillation", Map.of("teacher", teacher())));
    assertEquals(4.0, kd.temperature());
    assertEquals(0.9, kd.alpha());

    Layer student = Sequential.of(LayerFactories.create("dense", Map.of("units", 3)), LayerFactories.create("relu"));
    FitNets fitnets = assertInstanceOf(FitNets.class, registry.create(ComponentKind.OBJECTIVE, "fitnets",
        Map.of("teacher", teacher(), "hint", "relu_1", "guided", "relu_1", "student", student, "inputShape", List.of(4))));
    assertEquals(Set.of("regressor.weight", "regressor.bias"), fitnets.parameters().keySet(), "bound at once");
  }

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
      "distillation, temperature, 0,    'Received: temperature=0.0'",
      "distillation, temperature, -2,   'Received: temperature=-2.0'",
      "distillation, alpha,       1.5,  'Received: alpha=1.5'",
      "distillation, alpha,       -0.1, 'Received: alpha=-0.1'",
      "fitnets,      kernel_size, 2,    'Received: kernel_size=2'",
      "fitnets,      activation,  tanh, 'Received: activation='",
  })
  void outOfRangeValuesAreRefusedEchoingTheValue(String name, String option, String value, String echo) {
    Map<String, Object> options = base(name);
    options.put(option, option.equals("activation") ? value : (Object) Double.parseDouble(value));
    ComponentException e = assertThrows(ComponentException.class, () -> create(name, options));
    assertTrue(e.getMessage().contains(echo), e.getMessage());
    assertTrue(e.getMessage().contains(option), "the message names the option: " + e.getMessage());
    assertTrue(e.getMessage().contains(value), "the message echoes the value: " + e.getMessage());
  }

  @Test
  void aTeacherThatIsNeitherAModelNorAPathIsRefused() {
    Map<String, Object> options = base("distillation");
    options.put("teacher", 42);
    ComponentException e = assertThrows(ComponentException.class, () -> create("distillation", options));
    assertTrue(e.getMessage().contains("'teacher'") && e.getMessage().contains("Received: teacher=42"), e.getMessage());
  }

  @Test
  void aFolderWithoutACheckpointIsRefusedPointingToTheOneInside(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("best"));
    Files.writeString(dir.resolve("best").resolve("weights.safetensors"), "");
    Files.writeString(dir.resolve("best").resolve("state.json"), "");
    Map<String, Object> options = base("distillation");
    options.put("teacher", dir.toString());
    ComponentException e = assertThrows(ComponentException.class, () -> create("distillation", options));
    assertTrue(e.getMessage().contains("No teacher checkpoint in " + dir), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean " + dir.resolve("best")), e.getMessage());
    assertTrue(e.getMessage().contains("Received: teacher='" + dir + "'"), e.getMessage());
  }

  @Test
  void fitNetsNeedsItsTapNamesAndTakesStudentAndInputShapeTogether() {
    ComponentException e = assertThrows(ComponentException.class,
        () -> create("fitnets", Map.of("teacher", teacher(), "hint", "relu_1")));
    assertTrue(e.getMessage().contains("'guided'") && e.getMessage().contains("required"), e.getMessage());

    Map<String, Object> options = base("fitnets");
    options.put("student", LayerFactories.create("dense", Map.of("units", 3)));
    e = assertThrows(ComponentException.class, () -> create("fitnets", options));
    assertTrue(e.getMessage().contains("student") && e.getMessage().contains("input_shape"), e.getMessage());
  }

  private static Map<String, Object> base(String name) {
    Map<String, Object> options = new HashMap<>();
    options.put("teacher", teacher());
    if (name.equals("fitnets")) {
      options.put("hint", "relu_1");
      options.put("guided", "relu_1");
    }
    return options;
  }

  private static Object create(String name, Map<String, Object> options) {
    return (name.equals("fitnets") ? FACTORIES.get(1) : FACTORIES.get(0)).create(options);
  }

  private static Layer teacher() {
    Layer teacher = Sequential.of(LayerFactories.create("dense", Map.of("units", 5)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 3)));
    Layers.build(teacher, new long[] {4}, new Rng(3));
    return teacher;
  }
}
