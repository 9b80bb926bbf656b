package dev.regimen.core.plugin;

import dev.regimen.api.check.ComponentCheck;
import dev.regimen.api.check.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Validates one plugin jar before it is dropped into a plugins folder ({@code regimen plugins
 * --check JAR}), and says what is wrong in words a plugin author can act on.
 *
 * <p>The checks, in order; each adds {@link Finding}s, and the jar passes when none is an error:
 *
 * <ol>
 *   <li>the file is a jar whose manifest has {@code Plugin-Id}, {@code Plugin-Version},
 *       {@code Plugin-Requires} and {@code Plugin-Description} (the host needs the first two and
 *       reads the others; a jar made by the plugin kit or {@code plugins/pom.xml} has them all);
 *   <li>it loads beside the installed plugins exactly as a run would load it: the {@link PluginHost}
 *       runs on a private copy of the plugins folder with this jar in place of any installed plugin
 *       of the same id, so its {@code Plugin-Class}, its {@code Plugin-Dependencies}, its
 *       {@code @Extension} index and the names of its components are checked against the real
 *       neighbours, and every problem the host reports for this file is an error;
 *   <li>each component passes the {@link ComponentCheck} with its default options, the check the test
 *       kit's {@code PluginContract} runs too: a description and described options; made with its
 *       defaults (one with a required option, or whose defaults its own option checks refuse, as
 *       color_jitter's all-zero factors, is noted and not made; any other exception is an error); and
 *       a layer run forward on a small batch in training and in evaluation, with the shape its
 *       {@code outputShape} says and finite values.
 * </ol>
 *
 * The installed plugins are never touched.
 */
public final class PluginCheck {
  /** What the check found about one jar. */
  public record Report(Path jar, List<Finding> findings) {
    public Report {
      findings = List.copyOf(findings);
    }

    /** Whether no finding is an error. */
    public boolean passed() {
      return errors().isEmpty();
    }

    public List<Finding> errors() {
      return findings.stream().filter(Finding::isError).toList();
    }

    /** The report as {@code regimen plugins --check} prints it: one line per finding, then a verdict. */
    public String render() {
      StringBuilder out = new StringBuilder("Checking " + jar.toAbsolutePath().normalize() + "\n");
      for (Finding f : findings) {
        out.append(String.format(Locale.ROOT, "  %-5s  %s%n", f.level().label(), f.message()));
      }
      int errors = errors().size();
      out.append(errors == 0 ? "OK: the plugin can be dropped into plugins/.\n"
          : "FAILED: " + (errors == 1 ? "1 error" : errors + " errors") + "; fix "
              + (errors == 1 ? "it" : "them") + " before dropping the jar into plugins/.\n");
      return out.toString();
    }
  }

  /** The manifest entries every plugin jar must carry, with what each is for. */
  private static final Map<String, String> REQUIRED_ENTRIES = orderedMap(
      "Plugin-Id", "the plugin's name in listings and in other plugins' dependencies",
      "Plugin-Version", "a semantic version such as 1.0.0",
      "Plugin-Requires", "the framework versions it works with, such as >=0.1.0",
      "Plugin-Description", "one line for `regimen plugins`");

  private final Path jar;
  private final Path installedDir;
  private final String systemVersion;
  private final List<Finding> findings = new ArrayList<>();

  private PluginCheck(Path jar, Path installedDir, String systemVersion) {
    this.jar = jar;
    this.installedDir = installedDir;
    this.systemVersion = systemVersion;
  }

  /** Checks {@code jar} beside the plugins installed in {@code installedDir} (which may not exist). */
  public static Report check(Path jar, Path installedDir) {
    return check(jar, installedDir, null);
  }

  /** As {@link #check(Path, Path)}, against another framework version ({@code null}: this one). */
  public static Report check(Path jar, Path installedDir, String systemVersion) {
    PluginCheck c = new PluginCheck(jar, installedDir, systemVersion);
    c.run();
    return new Report(jar, c.findings);
  }

  private void run() {
    if (!Files.isRegularFile(jar)) {
      error("no such file: " + jar);
      return;
    }
    String id = checkManifest();
    if (id == null) {
      return;
    }
    Path work;
    try {
      work = Files.createTempDirectory("regimen-check-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      int neighbours = copyInstalled(id, work);
      Path copy = Files.copy(jar, work.resolve(jar.getFileName()));
      PluginHost.Builder builder = PluginHost.builder().pluginsDir(work);
      if (systemVersion != null) {
        builder.systemVersion(systemVersion);
      }
      try (PluginHost host = builder.load()) {
        checkLoaded(host, copy, id, neighbours);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(work);
    }
  }

  /** Checks the manifest's entries; returns the Plugin-Id, or {@code null} when the host could not load the jar at all. */
  private String checkManifest() {
    Manifest manifest;
    try (JarFile file = new JarFile(jar.toFile())) {
      manifest = file.getManifest();
    } catch (IOException e) {
      error("is not a readable jar file (" + PluginScan.describe(e) + ")");
      return null;
    }
    if (manifest == null) {
      error("manifest: the jar has no META-INF/MANIFEST.MF; a plugin's manifest names it (Plugin-Id, Plugin-Version, ...)");
      return null;
    }
    Attributes main = manifest.getMainAttributes();
    List<String> present = new ArrayList<>();
    for (Map.Entry<String, String> entry : REQUIRED_ENTRIES.entrySet()) {
      String value = main.getValue(entry.getKey());
      if (value == null || value.isBlank()) {
        error("manifest: no " + entry.getKey() + " entry (" + entry.getValue() + ")");
      } else {
        present.add(entry.getKey() + " " + value.trim());
      }
    }
    String id = main.getValue("Plugin-Id");
    if (!present.isEmpty()) {
      ok("manifest: " + String.join(", ", present));
    }
    return id == null || id.isBlank() ? null : id.trim();
  }

  /** Copies the installed plugin files into {@code work}, leaving out any of the same id; returns how many. */
  private int copyInstalled(String id, Path work) throws IOException {
    if (installedDir == null || !Files.isDirectory(installedDir)) {
      return 0;
    }
    int copied = 0;
    try (Stream<Path> files = Files.list(installedDir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean pluginFile = !name.startsWith(".") && (name.endsWith(".jar") || name.endsWith(".zip"));
        if (!pluginFile || sameFile(f, jar) || id.equals(pluginId(f)) || f.getFileName().equals(jar.getFileName())) {
          continue;
        }
        Files.copy(f, work.resolve(f.getFileName()));
        copied++;
      }
    }
    return copied;
  }

  private void checkLoaded(PluginHost host, Path copy, String id, int neighbours) {
    List<PluginFailure> own = host.failures().stream().filter(f -> f.file().equals(copy)).toList();
    for (PluginFailure f : own) {
      error(f.reason());
    }
    PluginInfo info = host.plugins().stream().filter(p -> p.file().equals(copy)).findFirst().orElse(null);
    if (info == null) {
      if (own.isEmpty()) {
        error("did not load, and the plugin host gave no reason");
      }
      return;
    }
    ok("loads and starts beside " + neighbours + " installed plugin" + (neighbours == 1 ? "" : "s")
        + (installedDir == null ? "" : " of " + installedDir.toAbsolutePath().normalize()));
    if (info.components().isEmpty()) {
      if (own.isEmpty()) {
        error("contributes no components");
      }
      return;
    }
    for (ComponentRef ref : info.components()) {
      findings.addAll(ComponentCheck.of(host.registry().factory(ref.kind(), ref.name()), Map.of()).findings());
    }
  }

  private static String pluginId(Path file) {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
      return null;
    }
    try (JarFile f = new JarFile(file.toFile())) {
      Manifest m = f.getManifest();
      return m == null ? null : m.getMainAttributes().getValue("Plugin-Id");
    } catch (IOException e) {
      return null; // the host reports an unreadable neighbour; it is not this check's concern
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  private void ok(String message) {
    findings.add(Finding.ok(message));
  }

  private void error(String message) {
    findings.add(Finding.error(message));
  }
}
