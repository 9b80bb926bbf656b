package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.core.init.InitializerFactories;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.losses.LossFactories;
import dev.regimen.core.metrics.MetricFactories;
import dev.regimen.core.optim.OptimizerFactories;
import dev.regimen.core.registry.ComponentRegistry;
import dev.regimen.core.schedule.SchedulerFactories;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.pf4j.DefaultVersionManager;

/**
 * The components a run can use: the built-ins plus those of every plugin in a plugins folder, in one
 * {@link ComponentRegistry}, with a report of what loaded and what did not.
 *
 * <pre>{@code
 * try (PluginHost host = PluginHost.load(Path.of("plugins"))) {
 *   host.failures().forEach(f -> System.err.println(f));   // corrupt-0.1.0.jar: is not a readable jar file (...)
 *   Layer dropout = host.registry().create(ComponentKind.LAYER, "dropout", Map.of("rate", 0.3));
 * }
 * }</pre>
 *
 * <p>A plugin is a PF4J jar (or zip) whose {@code @Extension} classes are
 * {@link ComponentFactory ComponentFactories}; {@code plugins/pom.xml} builds them. A plugin that
 * cannot load is reported as a {@link PluginFailure} naming its file and the reason, and every other
 * plugin still loads; a missing plugins folder simply means no plugins. The checks, in the order
 * they run, are listed in the package documentation.
 *
 * <p>Origins in the registry are {@value #BUILT_IN} and {@code plugin '<id>'}. A component name is
 * owned by one origin: a plugin cannot replace a built-in, and a name that two plugins contribute is
 * registered for neither (both are reported), so what a script gets never depends on file names.
 *
 * <p>PF4J compares {@code Plugin-Requires} with the framework's version stripped of its pre-release
 * part ({@code 0.1.0-SNAPSHOT} becomes {@code 0.1.0}): under semantic versioning a pre-release is
 * lower than its release, and {@code >=0.1.0} would reject every plugin in a development build.
 *
 * <p>Closing stops and unloads the plugins and closes their class loaders; components already made
 * keep working as far as their classes are loaded, but the registry should not be used afterwards.
 * PF4J is pinned to 3.14.1 because 3.15.0's {@code stopPlugins()} throws
 * {@code ConcurrentModificationException} (pf4j#656); this class stops plugins one by one anyway.
 */
public final class PluginHost implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(PluginHost.class);

  /** The origin of the built-in components in the registry. */
  public static final String BUILT_IN = "built-in";
  /** A system property naming the plugins folder, for the launcher and for users. */
  public static final String PLUGINS_DIR_PROPERTY = "regimen.plugins.dir";
  /** A system property naming the distribution's folder, whose {@code plugins/} is the default. */
  public static final String HOME_PROPERTY = "regimen.home";
  /**
   * The version this source tree builds, for when no jar says it (tests and IDE runs read classes
   * from folders). A test compares it with the pom so that a release cannot forget it.
   */
  static final String SOURCE_VERSION = "0.1.0-SNAPSHOT";

  private final Path pluginsDir;
  private final String systemVersion;
  private final ComponentRegistry registry;
  private final List<PluginInfo> plugins;
  private final List<PluginFailure> failures;
  private final RegimenPluginManager manager;
  private final List<String> startedIds;
  private final Path unpackDir;
  private boolean closed;

  private PluginHost(Path pluginsDir, String systemVersion, ComponentRegistry registry, RegimenPluginManager manager,
      PluginScan.Result scan) {
    this.pluginsDir = pluginsDir;
    this.systemVersion = systemVersion;
    this.registry = registry;
    this.manager = manager;
    this.plugins = scan == null ? List.of() : List.copyOf(scan.plugins());
    this.failures = scan == null ? List.of() : List.copyOf(scan.failures());
    this.startedIds = scan == null ? List.of() : List.copyOf(scan.startedIds());
    this.unpackDir = scan == null ? null : scan.unpackDir();
  }

  /** The built-ins and the plugins of {@link #defaultPluginsDir()}. */
  public static PluginHost load() {
    return builder().load();
  }

  /** The built-ins and the plugins of this folder; a folder that does not exist holds no plugins. */
  public static PluginHost load(Path pluginsDir) {
    return builder().pluginsDir(pluginsDir).load();
  }

  /** For a host with another system version or other built-ins (tests, embedding). */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a host; {@link #load()} makes it. */
  public static final class Builder {
    private Path pluginsDir;
    private String systemVersion;
    private List<ComponentFactory<?>> builtIns;

    private Builder() {}

    /** The folder of plugin jars and zips; {@link PluginHost#defaultPluginsDir()} if not set. */
    public Builder pluginsDir(Path dir) {
      this.pluginsDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The version that {@code Plugin-Requires} is checked against; the framework's version if not set.
     * A pre-release part is dropped ({@code 0.2.0-rc1} counts as {@code 0.2.0}).
     */
    public Builder systemVersion(String version) {
      this.systemVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The components registered with origin {@value PluginHost#BUILT_IN}; {@link #builtInFactories()} if not set. */
    public Builder builtIns(Collection<? extends ComponentFactory<?>> factories) {
      this.builtIns = List.copyOf(factories);
      return this;
    }

    /** Registers the built-ins, then loads every plugin it can and reports the others. */
    public PluginHost load() {
      Path dir = pluginsDir != null ? pluginsDir : defaultPluginsDir();
      String version = releaseVersion(systemVersion != null ? systemVersion : frameworkVersion());
      try {
        new DefaultVersionManager().compareVersions(version, version);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("The system version must be a semantic version such as 0.1.0."
            + " Received: " + version, e);
      }
      ComponentRegistry registry = new ComponentRegistry();
      registry.registerAll(builtIns != null ? builtIns : builtInFactories(), BUILT_IN);
      if (!Files.isDirectory(dir)) {
        LOG.debug("No plugins folder at {}: built-in components only", dir);
        return new PluginHost(dir, version, registry, null, null);
      }
      RegimenPluginManager manager = new RegimenPluginManager(dir);
      manager.setSystemVersion(version);
      PluginScan.Result scan = new PluginScan(dir, version, registry, manager).run();
      return new PluginHost(dir, version, registry, manager, scan);
    }
  }

  /** Every built-in component factory: layers, initializers, losses, optimizers, schedulers, metrics. */
  public static List<ComponentFactory<?>> builtInFactories() {
    List<ComponentFactory<?>> all = new ArrayList<>();
    all.addAll(LayerFactories.all());
    all.addAll(InitializerFactories.all());
    all.addAll(LossFactories.all());
    all.addAll(OptimizerFactories.all());
    all.addAll(SchedulerFactories.all());
    all.addAll(MetricFactories.all());
    return List.copyOf(all);
  }

  /**
   * The plugins folder when none is given: the {@value #PLUGINS_DIR_PROPERTY} property; else
   * {@code plugins/} in the {@value #HOME_PROPERTY} folder; else, when framework-core runs from a jar
   * in a distribution's {@code lib/}, the {@code plugins/} beside that {@code lib/}; else
   * {@code plugins/} in the working folder.
   */
  public static Path defaultPluginsDir() {
    String dir = System.getProperty(PLUGINS_DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      return Path.of(home, "plugins");
    }
    Path lib = ownJar().map(Path::getParent).orElse(null);
    if (lib != null && lib.getFileName() != null && lib.getFileName().toString().equals("lib")
        && lib.getParent() != null) {
      return lib.getParent().resolve("plugins");
    }
    return Path.of("plugins");
  }

  /**
   * The framework's version, e.g. {@code 0.1.0-SNAPSHOT}: from framework-core's jar (its manifest's
   * {@code Implementation-Version} or the {@code pom.properties} Maven packs), else
   * {@link #SOURCE_VERSION}.
   */
  public static String frameworkVersion() {
    String fromManifest = PluginHost.class.getPackage().getImplementationVersion();
    if (fromManifest != null && !fromManifest.isBlank()) {
      return fromManifest;
    }
    try (InputStream in = PluginHost.class.getResourceAsStream(
        "/META-INF/maven/dev.regimen/framework-core/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot read framework-core's pom.properties", e);
    }
    return SOURCE_VERSION;
  }

  /** The version without its pre-release or build part: {@code 0.1.0-SNAPSHOT} gives {@code 0.1.0}. */
  static String releaseVersion(String version) {
    String v = version.trim();
    int cut = v.length();
    for (char c : new char[] {'-', '+'}) {
      int i = v.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return v.substring(0, cut);
  }

  /** How the registry names a plugin's components' origin: {@code plugin 'dropout'}. */
  static String origin(String pluginId) {
    return "plugin '" + pluginId + "'";
  }

  private static Optional<Path> ownJar() {
    try {
      CodeSource source = PluginHost.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The folder plugins were looked for in (it may not exist). */
  public Path pluginsDir() {
    return pluginsDir;
  }

  /** The version {@code Plugin-Requires} was checked against, without a pre-release part. */
  public String systemVersion() {
    return systemVersion;
  }

  /** The built-ins and every registered plugin component. */
  public ComponentRegistry registry() {
    return registry;
  }

  /** The plugins that loaded, by id. */
  public List<PluginInfo> plugins() {
    return plugins;
  }

  /** The plugin with this id, if it loaded. */
  public Optional<PluginInfo> plugin(String id) {
    return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** Every problem found, by file name: plugins that did not load and components that were rejected. */
  public List<PluginFailure> failures() {
    return failures;
  }

  /** Every registered component, by kind then name. */
  public List<ComponentInfo> components() {
    return components(null);
  }

  /** The registered components of one kind ({@code null} for all), by kind then name. */
  public List<ComponentInfo> components(ComponentKind kind) {
    Stream<ComponentRegistry.Entry> entries = (kind == null ? registry.entries() : registry.entries(kind)).stream();
    return entries.map(ComponentInfo::of)
        .sorted(Comparator.comparing(ComponentInfo::kind).thenComparing(ComponentInfo::name))
        .toList();
  }

  /** Stops the plugins (dependants first), unloads them, and deletes the folder zips were unpacked in. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (manager != null) {
      List<String> reverse = new ArrayList<>(startedIds);
      Collections.reverse(reverse);
      for (String id : reverse) {
        try {
          manager.stopPlugin(id);
        } catch (RuntimeException | LinkageError e) {
          LOG.warn("Plugin '{}' failed to stop: {}", id, PluginScan.describe(e));
        }
      }
      for (String id : reverse) {
        try {
          if (manager.getPlugin(id) != null) {
            manager.unloadPlugin(id);
          }
        } catch (RuntimeException | LinkageError e) {
          LOG.warn("Plugin '{}' failed to unload: {}", id, PluginScan.describe(e));
        }
      }
      try {
        manager.unloadPlugins(); // the disabled ones
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("Plugins failed to unload: {}", PluginScan.describe(e));
      }
    }
    if (unpackDir != null) {
      deleteTree(unpackDir);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("Cannot delete {}", root, e);
    }
  }

  @Override
  public String toString() {
    return "PluginHost[" + pluginsDir + ": " + plugins.size() + " plugins, " + failures.size() + " failures]";
  }
}
