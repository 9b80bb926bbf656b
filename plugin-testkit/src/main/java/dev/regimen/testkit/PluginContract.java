package dev.regimen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regimen.api.check.ComponentCheck;
import dev.regimen.api.check.Finding;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Extension;
import org.pf4j.Plugin;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * Loads a plugin the way the host does and checks that it contributes what its test declares: one JUnit
 * 5 test base that every plugin's loading test extends, so that the test is a few lines of expectations.
 *
 * <pre>{@code
 * class DropoutPluginTest extends PluginContract {
 *   DropoutPluginTest() {
 *     super(DropoutPlugin.class, Map.of("dropout", ComponentKind.LAYER, "dropout.gaussian", ComponentKind.LAYER));
 *   }
 * }
 * }</pre>
 *
 * <p>The plugin file is, by default, a jar packed from the folder the plugin's classes were compiled
 * into (or the jar they come from), with the manifest entries the build writes into the real jar:
 * {@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Class}, {@code Plugin-Requires}, {@code
 * Plugin-Dependencies}, {@code Plugin-Description} and {@code Plugin-Provider}, read from the system
 * properties {@code regimen.plugin.id}, {@code regimen.plugin.version} and so on (this repository's
 * {@code plugins/pom.xml} passes its {@code plugin.*} properties to the tests that way). A test that
 * has the packaged jar at hand overrides {@link #pluginFile} to return it. The plugin is loaded alone,
 * through PF4J in deployment mode, as the host loads the files in its {@code plugins/} folder.
 *
 * <p>The contract, one test each:
 * <ul>
 *   <li>the plugin class is a PF4J {@link Plugin} with a public constructor without arguments (or the
 *       plugin has no {@code Plugin-Class}, and PF4J uses its plain {@code Plugin});
 *   <li>the file loads and starts, with the declared id, and its extensions are exactly the declared
 *       components, each an {@link Extension @Extension} {@link ComponentFactory} of its kind;
 *   <li>every component passes the {@link ComponentCheck} that {@code regimen plugins --check} runs too:
 *       it is documented (its description and every option's), it is made with {@link #options} (its
 *       defaults unless a test says otherwise) as an instance of its kind's type, and a layer runs
 *       forward on a small batch in training and in evaluation. The failure lists every problem of
 *       every component, each as the check words it.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PluginContract {
  private static final String PROPERTY_PREFIX = "regimen.plugin.";
  private static final List<String> MANIFEST_KEYS =
      List.of("Id", "Version", "Class", "Requires", "Dependencies", "Description", "Provider");

  private final Class<?> pluginClass;
  private final Map<String, ComponentKind> components;
  private PluginManager manager;
  private String pluginId;

  /**
   * {@code pluginClass}: the plugin's {@code Plugin-Class} (for a plugin without one, any class of it:
   * it locates the classes); {@code components}: what the plugin contributes, name to kind.
   */
  protected PluginContract(Class<?> pluginClass, Map<String, ComponentKind> components) {
    this.pluginClass = pluginClass;
    this.components = Map.copyOf(components);
  }

  // ------------------------------------------------------------------ what a subclass may change

  /** The options a component is made with by {@link #everyComponentIsDocumentedAndMadeWithItsOptions}; none by default. */
  protected Map<String, ?> options(String component) {
    return Map.of();
  }

  /**
   * The plugin file to load, written into {@code dir} if it is made: by default a jar of the plugin's
   * classes with the manifest entries from the {@code regimen.plugin.*} system properties.
   */
  protected Path pluginFile(Path dir) throws IOException {
    return packClasses(classesOf(pluginClass), manifestFromSystemProperties(), dir.resolve(pluginClass
        .getSimpleName().toLowerCase(Locale.ROOT) + ".jar"));
  }

  // ------------------------------------------------------------------ helpers for subclasses

  /** The plugin's factories as the loaded plugin made them (its classes, from its own class loader), by name. */
  @SuppressWarnings({"rawtypes", "unchecked"}) // PF4J's getExtensions takes a raw class
  protected final Map<String, ComponentFactory<?>> loadedFactories() {
    List<ComponentFactory> found = manager.getExtensions((Class) ComponentFactory.class, pluginId);
    Map<String, ComponentFactory<?>> byName = new TreeMap<>();
    for (ComponentFactory<?> factory : found) {
      if (byName.put(factory.name(), factory) != null) {
        fail("two factories of plugin '" + pluginId + "' are named '" + factory.name() + "'");
      }
    }
    return byName;
  }

  /** The plugin's id, as its manifest says. */
  protected final String pluginId() {
    return pluginId;
  }

  // ------------------------------------------------------------------ the contract

  @BeforeAll
  void loadThePlugin(@TempDir Path pluginsDir) throws IOException {
    Path file = pluginFile(pluginsDir);
    manager = new DefaultPluginManager(pluginsDir) {
      @Override
      public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
      }
    };
    pluginId = manager.loadPlugin(file);
    assertTrue(pluginId != null && !pluginId.isBlank(), file + " has no Plugin-Id");
    PluginState state = manager.startPlugin(pluginId);
    PluginWrapper wrapper = manager.getPlugin(pluginId);
    if (state != PluginState.STARTED) {
      throw new AssertionError("plugin '" + pluginId + "' did not start: " + state, wrapper.getFailedException());
    }
  }

  @AfterAll
  void unloadThePlugin() {
    if (manager != null) {
      manager.stopPlugins();
      manager.unloadPlugins();
    }
  }

  @Test
  public void pluginClassIsAPluginWithAPublicConstructorWithoutArguments() throws ReflectiveOperationException {
    String declared = manager.getPlugin(pluginId).getDescriptor().getPluginClass();
    if (declared == null || declared.isBlank() || declared.equals(Plugin.class.getName())) {
      return; // PF4J's plain Plugin: the components need no lifecycle
    }
    assertEquals(pluginClass.getName(), declared, "Plugin-Class in the manifest");
    assertInstanceOf(Plugin.class, pluginClass.getConstructor().newInstance());
  }

  @Test
  public void loadsAndContributesExactlyTheDeclaredComponents() {
    Map<String, ComponentFactory<?>> loaded = loadedFactories();
    Map<String, ComponentKind> expected = new TreeMap<>(components);
    Map<String, ComponentKind> actual = loaded.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().kind(), (a, b) -> a, TreeMap::new));
    assertEquals(expected, actual, "the components of plugin '" + pluginId + "' (name=kind), from its extensions.idx");
    for (ComponentFactory<?> factory : loaded.values()) {
      assertTrue(factory.getClass().isAnnotationPresent(Extension.class), factory.name() + " is an @Extension");
      assertEquals(manager.getPluginClassLoader(pluginId), factory.getClass().getClassLoader(),
          factory.name() + " comes from the plugin's file, not from the class path");
    }
  }

  @Test
  public void everyComponentIsDocumentedAndMadeWithItsOptions() {
    List<String> problems = new ArrayList<>();
    for (ComponentFactory<?> factory : loadedFactories().values()) {
      ComponentCheck check = ComponentCheck.of(factory, options(factory.name()));
      check.errors().forEach(f -> problems.add(f.message()));
      if (!check.made()) {
        check.findings().stream().filter(f -> f.level() == Finding.Level.NOTE).forEach(f -> problems.add(f.message()
            + " (a test gives a component its options by overriding options(\"" + factory.name() + "\"))"));
      }
    }
    if (!problems.isEmpty()) {
      fail("plugin '" + pluginId + "': " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
          + " with its components:\n  " + String.join("\n  ", problems));
    }
  }

  // ------------------------------------------------------------------ plugin files

  /** The folder or jar a class was loaded from. */
  public static Path classesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
    }
  }

  /**
   * The {@code Plugin-*} manifest entries from the system properties {@code regimen.plugin.id},
   * {@code .version}, {@code .class}, {@code .requires}, {@code .dependencies}, {@code .description} and
   * {@code .provider}; an empty value is left out. Without {@code regimen.plugin.id} it fails, saying how
   * to set them.
   */
  public static Manifest manifestFromSystemProperties() {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    for (String key : MANIFEST_KEYS) {
      String value = System.getProperty(PROPERTY_PREFIX + key.toLowerCase(Locale.ROOT), "").trim();
      if (!value.isEmpty()) {
        main.putValue("Plugin-" + key, value);
      }
    }
    if (main.getValue("Plugin-Id") == null) {
      fail("no system property " + PROPERTY_PREFIX + "id: pass the plugin's manifest entries to the tests (surefire's"
          + " systemPropertyVariables regimen.plugin.id, .version, .class, ...) or override pluginFile() to return the"
          + " plugin's jar");
    }
    return manifest;
  }

  /**
   * Packs a plugin jar: every file below {@code classes} (a folder, or a jar whose manifest is replaced)
   * under the given manifest, as the build's jar plugin does.
   */
  public static Path packClasses(Path classes, Manifest manifest, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      if (Files.isDirectory(classes)) {
        try (Stream<Path> files = Files.walk(classes)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            String name = classes.relativize(file).toString().replace('\\', '/');
            if (!name.equals(JarFile.MANIFEST_NAME)) {
              copy(name, Files.newInputStream(file), out);
            }
          }
        }
      } else {
        try (JarFile in = new JarFile(classes.toFile())) {
          for (JarEntry entry : in.stream().filter(e -> !e.isDirectory()).toList()) {
            if (!entry.getName().equals(JarFile.MANIFEST_NAME)) {
              copy(entry.getName(), in.getInputStream(entry), out);
            }
          }
        }
      }
    }
    return jar;
  }

  private static void copy(String name, InputStream from, JarOutputStream out) throws IOException {
    try (InputStream in = from) {
      out.putNextEntry(new JarEntry(name));
      in.transferTo(out);
      out.closeEntry();
    }
  }
}
