package dev.regimen.core.plugin;

import dev.regimen.api.check.ComponentCheck;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.core.registry.ComponentRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.VersionManager;
import org.pf4j.util.Unzip;

/**
 * One pass over a plugins folder, in the steps that keep one bad file from spoiling the others:
 *
 * <ol>
 *   <li>read every {@code .jar} and {@code .zip} (zips unpacked into a private folder, never beside
 *       the zip) and check its descriptor: a readable archive, a {@code Plugin-Id}, a semantic
 *       {@code Plugin-Version}, a {@code Plugin-Requires} this framework version satisfies;
 *   <li>reject every file of a plugin id that two files use;
 *   <li>order the rest so that dependencies come first, rejecting a plugin whose dependency is not
 *       installed, has the wrong version, failed itself, or closes a cycle;
 *   <li>load and start each with PF4J, one at a time, unloading any that fails;
 *   <li>make every {@code @Extension} factory of each started plugin itself, so that a missing class
 *       or a throwing constructor costs that component only;
 *   <li>register the factories, rejecting any kind and name that a built-in already has or that two
 *       plugins contribute.
 * </ol>
 *
 * Each rejection becomes a {@link PluginFailure}; nothing here relies on PF4J's log.
 */
final class PluginScan {
  private static final Logger LOG = LogManager.getLogger(PluginHost.class);
  private static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

  /** A plugin file whose descriptor was read; {@code loadPath} is the jar or the unpacked zip. */
  private record Candidate(Path file, Path loadPath, PluginDescriptor descriptor) {
    String id() {
      return descriptor.getPluginId();
    }
  }

  /** A factory made from a started plugin, before name clashes are settled. */
  private record Contribution(Candidate plugin, ComponentFactory<?> factory) {
    ComponentRef ref() {
      return new ComponentRef(factory.kind(), factory.name());
    }
  }

  /** What a scan leaves to the host: the listings, and what must be released on close. */
  record Result(List<PluginInfo> plugins, List<PluginFailure> failures, List<String> startedIds, Path unpackDir) {}

  private final Path pluginsDir;
  private final String systemVersion;
  private final ComponentRegistry registry;
  private final RegimenPluginManager manager;
  private final VersionManager versions;
  private final List<PluginFailure> failures = new ArrayList<>();
  /** Plugin ids that are not there for their dependants, with why, e.g. {@code failed to load}. */
  private final Map<String, String> unavailable = new HashMap<>();
  private final List<Candidate> started = new ArrayList<>();
  private final List<Candidate> disabled = new ArrayList<>();
  private Path unpackDir;

  PluginScan(Path pluginsDir, String systemVersion, ComponentRegistry registry, RegimenPluginManager manager) {
    this.pluginsDir = pluginsDir;
    this.systemVersion = systemVersion;
    this.registry = registry;
    this.manager = manager;
    this.versions = manager.getVersionManager();
  }

  Result run() {
    List<Candidate> candidates = new ArrayList<>();
    for (Path file : pluginFiles()) {
      Candidate c = describe(file);
      if (c != null) {
        candidates.add(c);
      }
    }
    candidates = rejectDuplicateIds(candidates);
    for (Candidate c : order(candidates)) {
      loadAndStart(c);
    }
    List<Contribution> contributions = new ArrayList<>();
    for (Candidate c : started) {
      contributions.addAll(makeFactories(c));
    }
    Map<String, List<ComponentRef>> registered = register(contributions);

    List<PluginInfo> plugins = new ArrayList<>();
    for (Candidate c : started) {
      plugins.add(info(c, PluginState.STARTED, registered.getOrDefault(c.id(), List.of())));
    }
    for (Candidate c : disabled) {
      plugins.add(info(c, PluginState.DISABLED, List.of()));
    }
    plugins.sort(Comparator.comparing(PluginInfo::id));
    List<PluginFailure> sorted = new ArrayList<>(failures);
    sorted.sort(Comparator.comparing(PluginFailure::fileName)); // stable: steps stay in order per file
    for (PluginFailure f : sorted) {
      LOG.warn("Plugin problem: {}", f);
    }
    return new Result(plugins, sorted, started.stream().map(Candidate::id).toList(), unpackDir);
  }

  // ---- step 1: files and descriptors

  private List<Path> pluginFiles() {
    try (Stream<Path> files = Files.list(pluginsDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return !name.startsWith(".") && (name.endsWith(".jar") || name.endsWith(".zip"));
          })
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      failures.add(new PluginFailure(pluginsDir, null, "the plugins folder cannot be listed: " + describe(e)));
      return List.of();
    }
  }

  private static boolean isZip(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private Candidate describe(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      zip.size(); // opening it checks the central directory: enough to tell a jar from random bytes
    } catch (IOException e) {
      failures.add(new PluginFailure(file, null,
          "is not a readable " + (isZip(file) ? "zip" : "jar") + " file (" + describe(e) + ")"));
      return null;
    }
    Path loadPath = file;
    if (isZip(file)) {
      try {
        loadPath = unpack(file);
      } catch (IOException | RuntimeException e) {
        failures.add(new PluginFailure(file, null, "cannot be unpacked: " + describe(e)));
        return null;
      }
    }
    PluginDescriptor d;
    try {
      d = manager.findDescriptor(loadPath);
    } catch (RuntimeException e) { // PF4J's message only names the path; what each finder missed is in its log
      LOG.debug("No descriptor in {}", file, e);
      failures.add(new PluginFailure(file, null, "has no plugin descriptor: neither a META-INF/MANIFEST.MF with"
          + " a Plugin-Id nor a plugin.properties"));
      return null;
    }
    String id = d.getPluginId();
    if (id == null || id.isBlank()) {
      failures.add(new PluginFailure(file, null, "has no Plugin-Id in its manifest (nor a plugin.properties):"
          + " it is not a PF4J plugin, or it was not packaged by plugins/pom.xml"));
      return null;
    }
    String problem = descriptorProblem(d);
    if (problem != null) {
      failures.add(new PluginFailure(file, id, problem));
      unavailable.put(id, "failed to load (see its own entry)");
      return null;
    }
    return new Candidate(file, loadPath, d);
  }

  private Path unpack(Path zip) throws IOException {
    if (unpackDir == null) {
      unpackDir = Files.createTempDirectory("regimen-plugins-");
    }
    String name = zip.getFileName().toString();
    Path target = unpackDir.resolve(name.substring(0, name.length() - ".zip".length()));
    new Unzip(zip.toFile(), target.toFile()).extract(); // refuses entries that escape the target
    return target;
  }

  /** What is wrong with a descriptor that has an id, or {@code null}. */
  private String descriptorProblem(PluginDescriptor d) {
    String version = d.getVersion();
    if (version == null || version.isBlank()) {
      return "has no Plugin-Version";
    }
    try {
      versions.compareVersions(version, version);
    } catch (RuntimeException e) {
      return "its Plugin-Version '" + version + "' is not a semantic version such as 1.2.0 (" + describe(e) + ")";
    }
    String requires = d.getRequires() == null || d.getRequires().isBlank() ? "*" : d.getRequires().trim();
    // As PF4J reads it: a bare version means "this version or later".
    String range = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
    boolean satisfied;
    try {
      satisfied = versions.checkVersionConstraint(systemVersion, range);
    } catch (RuntimeException e) {
      return "its Plugin-Requires '" + requires + "' is not a version range such as >=0.1.0 (" + describe(e) + ")";
    }
    if (!satisfied) {
      return "needs Regimen " + requires + " (Plugin-Requires) but this is Regimen " + systemVersion;
    }
    return null;
  }

  // ---- step 2: one file per plugin id

  private List<Candidate> rejectDuplicateIds(List<Candidate> candidates) {
    Map<String, List<Candidate>> byId = candidates.stream()
        .collect(Collectors.groupingBy(Candidate::id, LinkedHashMap::new, Collectors.toList()));
    List<Candidate> unique = new ArrayList<>();
    for (List<Candidate> same : byId.values()) {
      if (same.size() == 1) {
        unique.add(same.get(0));
        continue;
      }
      String files = same.stream().map(c -> c.file().getFileName() + " (" + c.descriptor().getVersion() + ")")
          .collect(Collectors.joining(", "));
      for (Candidate c : same) {
        fail(c, "plugin id '" + c.id() + "' is used by " + same.size() + " files: " + files
            + "; none of them is loaded until only one is left");
      }
    }
    return unique;
  }

  // ---- step 3: dependency order

  private List<Candidate> order(List<Candidate> candidates) {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      byId.put(c.id(), c);
    }
    Map<String, Boolean> loadable = new HashMap<>();
    List<Candidate> ordered = new ArrayList<>();
    for (Candidate c : candidates) {
      visit(c, byId, loadable, new ArrayDeque<>(), ordered);
    }
    return ordered;
  }

  /** Whether {@code c} can load; if so, adds it to {@code ordered} after its dependencies. */
  private boolean visit(Candidate c, Map<String, Candidate> byId, Map<String, Boolean> loadable, Deque<String> path,
      List<Candidate> ordered) {
    Boolean known = loadable.get(c.id());
    if (known != null) {
      return known;
    }
    path.addLast(c.id());
    String problem = null;
    for (PluginDependency dep : c.descriptor().getDependencies()) {
      String depId = dep.getPluginId();
      Candidate target = byId.get(depId);
      if (target == null) {
        if (dep.isOptional()) {
          continue;
        }
        problem = unavailable.containsKey(depId)
            ? "depends on plugin '" + depId + "', which " + unavailable.get(depId)
            : "depends on plugin '" + depId + "', which is not installed in " + pluginsDir;
        break;
      }
      if (path.contains(depId)) {
        List<String> cycle = new ArrayList<>(path);
        cycle = new ArrayList<>(cycle.subList(cycle.indexOf(depId), cycle.size()));
        cycle.add(depId);
        String reason = "is part of a dependency cycle: " + String.join(" -> ", cycle);
        for (String member : new TreeSet<>(cycle)) {
          if (loadable.putIfAbsent(member, false) == null) {
            fail(byId.get(member), reason);
          }
        }
        path.removeLast();
        return false;
      }
      String support = dep.getPluginVersionSupport();
      String installed = target.descriptor().getVersion();
      if (!satisfies(installed, support)) {
        problem = "depends on plugin '" + depId + "' " + support + ", but version " + installed + " is installed";
        break;
      }
      if (!visit(target, byId, loadable, path, ordered)) {
        if (Boolean.FALSE.equals(loadable.get(c.id()))) { // failed as part of a cycle already
          path.removeLast();
          return false;
        }
        problem = "depends on plugin '" + depId + "', which failed to load (see its own entry)";
        break;
      }
    }
    path.removeLast();
    if (problem != null) {
      loadable.put(c.id(), false);
      fail(c, problem);
      return false;
    }
    loadable.put(c.id(), true);
    ordered.add(c);
    return true;
  }

  private boolean satisfies(String version, String range) {
    if (range == null || range.isBlank() || range.equals("*")) {
      return true;
    }
    try {
      return versions.checkVersionConstraint(version, range);
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---- step 4: load and start

  private void loadAndStart(Candidate c) {
    for (PluginDependency dep : c.descriptor().getDependencies()) {
      if (!dep.isOptional() && unavailable.containsKey(dep.getPluginId())) {
        fail(c, "depends on plugin '" + dep.getPluginId() + "', which " + unavailable.get(dep.getPluginId()));
        return;
      }
    }
    try {
      String id = manager.loadPlugin(c.loadPath());
      PluginWrapper wrapper = manager.getPlugin(id);
      if (wrapper.getPluginState() == PluginState.DISABLED) {
        disabled.add(c);
        unavailable.put(c.id(), "is disabled (disabled.txt in the plugins folder)");
        return;
      }
      wrapper.getPlugin(); // makes the Plugin-Class now, so that a bad one is told apart from a failing start()
      PluginState state;
      try {
        state = manager.startPlugin(id);
      } catch (RuntimeException | LinkageError e) {
        throw new PluginLoadException("failed to start: " + describe(e));
      }
      if (state != PluginState.STARTED) {
        Throwable cause = wrapper.getFailedException();
        throw new PluginLoadException("did not start (PF4J left it " + state + ")"
            + (cause == null ? "" : ": " + describe(cause)));
      }
      started.add(c);
    } catch (RuntimeException | LinkageError e) {
      fail(c, describe(e));
      unloadQuietly(c.id());
    }
  }

  private void unloadQuietly(String id) {
    try {
      if (manager.getPlugin(id) != null) {
        manager.unloadPlugin(id);
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Unloading plugin '{}' after its failure failed too", id, e);
    }
  }

  // ---- step 5: the factories

  private List<Contribution> makeFactories(Candidate c) {
    PluginWrapper wrapper = manager.getPlugin(c.id());
    ClassLoader loader = wrapper.getPluginClassLoader();
    boolean hasIndex = !(loader instanceof URLClassLoader urls) || urls.findResource(EXTENSIONS_INDEX) != null;
    if (!hasIndex) {
      failures.add(new PluginFailure(c.file(), c.id(), "contributes no components: it has no " + EXTENSIONS_INDEX
          + " (compile it with PF4J's annotation processor, as plugins/pom.xml does)"));
      return List.of();
    }
    Set<String> names = new TreeSet<>();
    try {
      Set<String> found = manager.getExtensionClassNames(c.id());
      if (found != null) {
        names.addAll(found);
      }
    } catch (RuntimeException e) {
      failures.add(new PluginFailure(c.file(), c.id(), EXTENSIONS_INDEX + " cannot be read: " + describe(e)));
      return List.of();
    }
    List<Contribution> made = new ArrayList<>();
    for (String className : names) {
      try {
        ComponentFactory<?> factory = makeFactory(loader, className);
        if (factory != null) {
          made.add(new Contribution(c, factory));
        }
      } catch (PluginLoadException e) {
        failures.add(new PluginFailure(c.file(), c.id(), e.getMessage()));
      }
    }
    if (names.isEmpty()) {
      failures.add(new PluginFailure(c.file(), c.id(), "contributes no components: its " + EXTENSIONS_INDEX
          + " lists no @Extension class"));
    }
    return made;
  }

  /** The factory named in the index, or {@code null} for a class that is not this plugin's own. */
  private static ComponentFactory<?> makeFactory(ClassLoader loader, String className) {
    String what = "component factory '" + className + "'";
    Class<?> type;
    try {
      type = loader.loadClass(className);
    } catch (ClassNotFoundException e) {
      throw new PluginLoadException(EXTENSIONS_INDEX + " names class '" + className + "', which is not in the plugin");
    } catch (LinkageError e) {
      throw new PluginLoadException(what + " cannot be loaded: " + describe(e));
    }
    if (type.getClassLoader() != loader) {
      return null; // a dependency's or the application's, listed in an index this plugin can see
    }
    if (!ComponentFactory.class.isAssignableFrom(type)) {
      if (implementsByName(type, ComponentFactory.class.getName())) {
        throw new PluginLoadException(what + " implements a second copy of " + ComponentFactory.class.getName()
            + " that the plugin carries itself: framework-api must be a provided dependency, never packed in a plugin");
      }
      throw new PluginLoadException("extension '" + className + "' is not a " + ComponentFactory.class.getSimpleName()
          + "; Regimen plugins contribute components only");
    }
    ComponentFactory<?> factory;
    try {
      factory = (ComponentFactory<?>) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new PluginLoadException(what + " has no public constructor without arguments");
    } catch (InvocationTargetException e) {
      throw new PluginLoadException(what + " failed in its constructor: " + describe(e.getCause()));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new PluginLoadException(what + " cannot be made: " + describe(e));
    }
    ComponentKind kind;
    String name;
    try {
      kind = factory.kind();
      name = factory.name();
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException(what + " cannot tell its kind and name: " + describe(e));
    }
    if (kind == null || name == null || name.isBlank()) {
      throw new PluginLoadException(what + " has no kind or no name (kind=" + kind + ", name=" + name + ")");
    }
    return factory;
  }

  private static boolean implementsByName(Class<?> type, String interfaceName) {
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      Deque<Class<?>> todo = new ArrayDeque<>(List.of(t.getInterfaces()));
      while (!todo.isEmpty()) {
        Class<?> i = todo.pop();
        if (i.getName().equals(interfaceName)) {
          return true;
        }
        todo.addAll(List.of(i.getInterfaces()));
      }
    }
    return false;
  }

  // ---- step 6: the registry

  /**
   * Registers every contribution whose kind and name is its own; returns what each plugin got.
   * A name a built-in has stays the built-in's; a name two plugins (or one plugin twice) contribute
   * is registered for neither, so that which one a script gets never depends on file names.
   */
  private Map<String, List<ComponentRef>> register(List<Contribution> contributions) {
    Map<ComponentRef, List<Contribution>> byRef = contributions.stream()
        .collect(Collectors.groupingBy(Contribution::ref, LinkedHashMap::new, Collectors.toList()));
    Map<String, List<ComponentRef>> registered = new HashMap<>();
    for (Map.Entry<ComponentRef, List<Contribution>> group : byRef.entrySet()) {
      ComponentRef ref = group.getKey();
      List<Contribution> same = group.getValue();
      if (registry.contains(ref.kind(), ref.name())) {
        for (Contribution c : same) {
          fail(c, ref + " is a built-in component; a plugin cannot replace it, so this one is not registered");
        }
      } else if (same.size() > 1) {
        String who = same.stream()
            .map(c -> "plugin '" + c.plugin().id() + "' (" + c.plugin().file().getFileName() + ", "
                + c.factory().getClass().getName() + ")")
            .collect(Collectors.joining(" and "));
        for (Contribution c : same) {
          fail(c, "two components are named " + ref + ": " + who + "; neither is registered until one is removed");
        }
      } else {
        Contribution c = same.get(0);
        registry.register(c.factory(), PluginHost.origin(c.plugin().id()));
        registered.computeIfAbsent(c.plugin().id(), k -> new ArrayList<>()).add(ref);
      }
    }
    Comparator<ComponentRef> byKindAndName = Comparator.comparing(ComponentRef::kind).thenComparing(ComponentRef::name);
    registered.values().forEach(refs -> refs.sort(byKindAndName));
    return registered;
  }

  private void fail(Contribution c, String reason) {
    failures.add(new PluginFailure(c.plugin().file(), c.plugin().id(), reason));
  }

  // ---- helpers

  private void fail(Candidate c, String reason) {
    failures.add(new PluginFailure(c.file(), c.id(), reason));
    unavailable.put(c.id(), "failed to load (see its own entry)");
  }

  private static PluginInfo info(Candidate c, PluginState state, List<ComponentRef> components) {
    PluginDescriptor d = c.descriptor();
    List<String> deps = d.getDependencies().stream().map(PluginScan::written).toList();
    return new PluginInfo(d.getPluginId(), d.getVersion(), state, d.getPluginDescription(), d.getProvider(), c.file(),
        d.getRequires(), deps, components);
  }

  /** A dependency as {@code Plugin-Dependencies} writes it: {@code id}, {@code id@range}, {@code id?}. */
  private static String written(PluginDependency dep) {
    String support = dep.getPluginVersionSupport();
    return dep.getPluginId() + (dep.isOptional() ? "?" : "")
        + (support == null || support.equals("*") ? "" : "@" + support);
  }

  /** An exception in one line: a load failure by its message, anything else as {@link ComponentCheck#describe} says. */
  static String describe(Throwable e) {
    return e instanceof PluginLoadException ? e.getMessage() : ComponentCheck.describe(e);
  }
}
