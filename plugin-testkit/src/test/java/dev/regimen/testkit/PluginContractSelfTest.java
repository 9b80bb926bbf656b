package dev.regimen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regimen.api.component.ComponentKind;
import dev.regimen.testkit.fixture.ChoosyFactory;
import dev.regimen.testkit.fixture.GoodFactory;
import dev.regimen.testkit.fixture.ThrowingFactory;
import dev.regimen.testkit.fixture.UndocumentedFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The plugin contract on plugins that are wrong: each contract below is run with JUnit's launcher on a
 * jar of the fixture factories ({@code dev.regimen.testkit.fixture}), and the test asserts which of
 * the contract's tests fail and what they say. A right plugin passes all of them.
 */
class PluginContractSelfTest {
  private static final String LOADS = "loadsAndContributesExactlyTheDeclaredComponents";
  private static final String COMPONENTS = "everyComponentIsDocumentedAndMadeWithItsOptions";
  private static final String PLUGIN_CLASS = "pluginClassIsAPluginWithAPublicConstructorWithoutArguments";

  @Test
  void aRightPluginPassesEveryTestOfTheContract() {
    Outcome outcome = run(Good.class);
    assertEquals(Map.of(), outcome.failed());
    assertEquals(Set.of(LOADS, COMPONENTS, PLUGIN_CLASS), outcome.passed());
  }

  @Test
  void anUndocumentedComponentFailsNamingTheComponentAndTheOption() {
    assertOnlyFailure(Undocumented.class, COMPONENTS, "plugin 'undocumented': 2 problems with its components:\n"
        + "  augmenter undocumented: no description (listings show one line saying what it does)\n"
        + "  augmenter undocumented: option 'size' has no description");
  }

  @Test
  void aFactoryThatThrowsOnItsDefaultsFailsNamingTheException() {
    assertOnlyFailure(Throwing.class, COMPONENTS, "plugin 'throwing': 1 problem with its components:\n"
        + "  augmenter throwing: cannot be made with its default options: IllegalStateException: no defaults in this"
        + " fixture");
  }

  @Test
  void defaultsThatTheComponentRefusesFailUntilTheTestGivesOptions() {
    assertOnlyFailure(ChoosyWithItsDefaults.class, COMPONENTS, "plugin 'choosy': 1 problem with its components:\n"
        + "  augmenter choosy: not made, as its default options are refused: augmenter 'choosy': choose a factor above"
        + " 0. Received: factor=0.0 (a test gives a component its options by overriding options(\"choosy\"))");
    assertEquals(Map.of(), run(ChoosyWithAFactor.class).failed());
  }

  @Test
  void aDeclaredComponentThatThePluginLacksFailsShowingBothLists() {
    assertOnlyFailure(DeclaresAMissingComponent.class, LOADS, "the components of plugin 'good' (name=kind), from its"
        + " extensions.idx ==> expected: <{ghost=LAYER, good=AUGMENTER}> but was: <{good=AUGMENTER}>");
  }

  /** Runs a contract and asserts that exactly one of its tests fails, with exactly this message. */
  private static void assertOnlyFailure(Class<? extends PluginContract> contract, String test, String message) {
    Outcome outcome = run(contract);
    assertEquals(Set.of(test), outcome.failed().keySet(), "the failed tests of " + contract.getSimpleName());
    assertEquals(message, outcome.failed().get(test));
  }

  // ------------------------------------------------------------------ the contracts run above

  /** A contract whose plugin is a jar of the fixture classes, its extensions.idx listing {@code factories}. */
  abstract static class Fixture extends PluginContract {
    private final String id;
    private final List<Class<?>> factories;

    Fixture(String id, Map<String, ComponentKind> declared, Class<?>... factories) {
      super(factories[0], declared);
      this.id = id;
      this.factories = List.of(factories);
    }

    @Override
    protected Path pluginFile(Path dir) throws IOException {
      Path classes = PluginContract.classesOf(GoodFactory.class);
      String fixtures = GoodFactory.class.getPackageName().replace('.', '/');
      Path staged = Files.createDirectories(dir.resolve("classes"));
      try (Stream<Path> files = Files.walk(classes.resolve(fixtures))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path target = staged.resolve(classes.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
      Path index = Files.createDirectories(staged.resolve("META-INF")).resolve("extensions.idx");
      Files.write(index, factories.stream().map(Class::getName).toList());
      Manifest manifest = new Manifest();
      Attributes main = manifest.getMainAttributes();
      main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
      main.putValue("Plugin-Id", id);
      main.putValue("Plugin-Version", "1.0.0");
      main.putValue("Plugin-Requires", ">=0.1.0");
      main.putValue("Plugin-Description", "A fixture of the test kit's self-test");
      return PluginContract.packClasses(staged, manifest, dir.resolve(id + ".jar"));
    }
  }

  static final class Good extends Fixture {
    Good() {
      super("good", Map.of("good", ComponentKind.AUGMENTER), GoodFactory.class);
    }
  }

  static final class Undocumented extends Fixture {
    Undocumented() {
      super("undocumented", Map.of("undocumented", ComponentKind.AUGMENTER), UndocumentedFactory.class);
    }
  }

  static final class Throwing extends Fixture {
    Throwing() {
      super("throwing", Map.of("throwing", ComponentKind.AUGMENTER), ThrowingFactory.class);
    }
  }

  static final class ChoosyWithItsDefaults extends Fixture {
    ChoosyWithItsDefaults() {
      super("choosy", Map.of("choosy", ComponentKind.AUGMENTER), ChoosyFactory.class);
    }
  }

  static final class ChoosyWithAFactor extends Fixture {
    ChoosyWithAFactor() {
      super("choosy", Map.of("choosy", ComponentKind.AUGMENTER), ChoosyFactory.class);
    }

    @Override
    protected Map<String, ?> options(String component) {
      return Map.of("factor", 0.5);
    }
  }

  static final class DeclaresAMissingComponent extends Fixture {
    DeclaresAMissingComponent() {
      super("good", Map.of("good", ComponentKind.AUGMENTER, "ghost", ComponentKind.LAYER), GoodFactory.class);
    }
  }

  // ------------------------------------------------------------------ running a contract

  /** Which of a contract's tests passed, and the message of each that failed, by method name. */
  record Outcome(Set<String> passed, Map<String, String> failed) {}

  /** Runs one contract class with JUnit's launcher, without the listeners the class path registers. */
  private static Outcome run(Class<? extends PluginContract> contract) {
    Set<String> passed = new TreeSet<>();
    Map<String, String> failed = new TreeMap<>();
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String name = id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
            .orElse(id.getDisplayName());
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
          if (id.isTest()) {
            passed.add(name);
          }
        } else {
          failed.put(name, result.getThrowable().map(PluginContractSelfTest::describe).orElse(result.toString()));
        }
      }
    };
    LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
        .enableLauncherSessionListenerAutoRegistration(false).build();
    LauncherFactory.create(config).execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(contract)).build(), listener);
    return new Outcome(passed, failed);
  }

  /** An assertion's message; any other throwable with its class and stack top, so that a broken fixture shows. */
  private static String describe(Throwable t) {
    return t instanceof AssertionError ? t.getMessage()
        : t + " at " + Arrays.stream(t.getStackTrace()).limit(3).map(String::valueOf).collect(Collectors.joining(", "));
  }
}
