package dev.regimen.core.plugin;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 *   <li>each component has a description and described options, and can be made with its default
 *       options: one with a required option, or whose defaults its own option checks refuse (a
 *       {@code ComponentException}, as color_jitter's all-zero factors), is noted and not made; any
 *       other exception is an error;
 *   <li>each layer is built and run forward on a small batch, in training and in evaluation, on
 *       flat input [2, 8] or, if its shape inference refuses that, on images [2, 3, 8, 8]: a forward
 *       that throws, gives another shape than its {@code outputShape} says, or gives NaN or infinity
 *       is an error.
 * </ol>
 *
 * The installed plugins are never touched.
 */
public final class PluginCheck {
  /** How serious a finding is: an error fails the check, a note does not. */
  public enum Level {
    OK, NOTE, ERROR;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One line of the report. */
  public record Finding(Level level, String message) {
    public Finding {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(message, "message");
    }
  }

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
      return findings.stream().filter(f -> f.level() == Level.ERROR).toList();
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

  /** The per-sample input shapes a layer's forward pass is tried on, in order. */
  private static final List<long[]> INPUT_SHAPES = List.of(new long[] {8}, new long[] {3, 8, 8});
  private static final int BATCH = 2;

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
      checkComponent(host.registry().factory(ref.kind(), ref.name()));
    }
  }

  private void checkComponent(ComponentFactory<?> factory) {
    String what = factory.kind().id() + " " + factory.name();
    int before = errorCount();
    if (factory.description() == null || factory.description().isBlank()) {
      error(what + ": no description (listings show one line saying what it does)");
    }
    List<OptionSpec> options = factory.options();
    for (OptionSpec option : options) {
      if (option.description().isBlank()) {
        error(what + ": option '" + option.name() + "' has no description");
      }
    }
    List<String> required = options.stream().filter(OptionSpec::required).map(OptionSpec::name).toList();
    if (!required.isEmpty()) {
      note(what + ": not made, as option" + (required.size() == 1 ? " " : "s ") + String.join(", ", required)
          + (required.size() == 1 ? " is" : " are") + " required");
      return;
    }
    Object component;
    try {
      component = factory.create(Map.of());
    } catch (ComponentException e) {
      // the framework's own refusal of options: a component may need a choice made (color_jitter's factors)
      note(what + ": not made, as its default options are refused: " + e.getMessage());
      return;
    } catch (RuntimeException | LinkageError e) {
      error(what + ": cannot be made with its default options: " + PluginScan.describe(e));
      return;
    }
    if (component == null) {
      error(what + ": its factory made null");
      return;
    }
    String made = options.size() + " option" + (options.size() == 1 ? "" : "s") + ", made with the defaults";
    if (factory.kind() == ComponentKind.LAYER && component instanceof Layer layer) {
      String forward = checkForward(what, layer);
      if (forward != null && errorCount() == before) {
        ok(what + ": " + made + "; " + forward);
      }
    } else if (errorCount() == before) {
      ok(what + ": " + made);
    }
  }

  /** Runs a layer forward on the first input shape it accepts; returns what ran, or {@code null} after an error or a note. */
  private String checkForward(String what, Layer layer) {
    List<String> refused = new ArrayList<>();
    for (long[] shape : INPUT_SHAPES) {
      long[] out;
      try {
        out = layer.outputShape(shape.clone());
        layer.build(shape.clone(), new Rng(1));
      } catch (RuntimeException e) {
        refused.add(Arrays.toString(shape) + ": " + PluginScan.describe(e));
        continue;
      }
      long[] batchShape = withBatch(shape);
      long[] expected = withBatch(out);
      for (boolean training : new boolean[] {true, false}) {
        String mode = training ? "training" : "evaluation";
        INDArray x = new Rng(7).normal(DataType.FLOAT, 0, 1, batchShape);
        Tensor y;
        try {
          y = layer.forward(Tensor.of(x), training ? ForwardContext.training(new Rng(3)) : ForwardContext.evaluation());
        } catch (RuntimeException | LinkageError e) {
          error(what + ": forward on " + Arrays.toString(batchShape) + " in " + mode + " failed: " + PluginScan.describe(e));
          return null;
        }
        if (y == null) {
          error(what + ": forward on " + Arrays.toString(batchShape) + " in " + mode + " returned null");
          return null;
        }
        if (!Arrays.equals(y.shape(), expected)) {
          error(what + ": forward on " + Arrays.toString(batchShape) + " in " + mode + " gave shape "
              + Arrays.toString(y.shape()) + ", but its outputShape says " + Arrays.toString(expected));
          return null;
        }
        INDArray values = y.array();
        if (values.dataType().isFPType() && !allFinite(values)) {
          error(what + ": forward on " + Arrays.toString(batchShape) + " in " + mode + " gave NaN or infinite values");
          return null;
        }
      }
      return "forward on " + Arrays.toString(batchShape) + " -> " + Arrays.toString(expected)
          + " in training and evaluation";
    }
    note(what + ": forward not run, as it accepts none of the test inputs (" + String.join("; ", refused) + ")");
    return null;
  }

  private static boolean allFinite(INDArray a) {
    double sum = a.castTo(DataType.DOUBLE).sumNumber().doubleValue();
    double abs = a.castTo(DataType.DOUBLE).norm1Number().doubleValue();
    return Double.isFinite(sum) && Double.isFinite(abs);
  }

  private static long[] withBatch(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = BATCH;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
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

  private int errorCount() {
    return (int) findings.stream().filter(f -> f.level() == Level.ERROR).count();
  }

  private void ok(String message) {
    findings.add(new Finding(Level.OK, message));
  }

  private void note(String message) {
    findings.add(new Finding(Level.NOTE, message));
  }

  private void error(String message) {
    findings.add(new Finding(Level.ERROR, message));
  }
}
