package dev.regimen.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds PF4J plugin files for tests, good and broken, as PF4J's own tests do with
 * {@code PluginZip.Builder}: Java sources compiled at test time with PF4J's annotation processor
 * (so {@code META-INF/extensions.idx} is written on any JDK), then packed with a manifest of
 * {@code Plugin-*} entries into a jar, or with a {@code plugin.properties} into a zip.
 *
 * <pre>{@code
 * Compiled classes = PluginJarBuilder.compile(tmp, Map.of("acme.ScaleFactory", source));
 * Path jar = PluginJarBuilder.plugin("acme").version("1.2.0").requires(">=0.1.0")
 *     .packageFrom(classes, "acme").writeJar(pluginsDir);
 * }</pre>
 *
 * <p>Compile once per test class ({@link #compile}) and pack one package per plugin
 * ({@link #packageFrom}): javac takes about a second, packing a jar a millisecond. For a one-off
 * plugin, {@link #source} compiles on write. The class path is the test's own
 * ({@code java.class.path}), so fixtures see framework-api and PF4J as a plugin does at run time.
 * Broken variants: {@link #withoutDescriptor}, {@link #manifestEntry}, {@link #extensionsIndex},
 * {@link #withoutExtensionsIndex}, {@link #writeCorrupt}.
 */
public final class PluginJarBuilder {
  private static final String INDEX = "META-INF/extensions.idx";
  private static final String PROCESSOR = "org.pf4j.processor.ExtensionAnnotationProcessor";

  /** Classes compiled together: a folder of class files and the {@code @Extension} classes PF4J's processor indexed. */
  public record Compiled(Path classesDir, List<String> extensions) {
    public Compiled {
      extensions = List.copyOf(extensions);
    }
  }

  private final String id;
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final List<String> index = new ArrayList<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private boolean descriptor = true;
  private boolean writeIndex = true;
  private List<String> indexOverride;

  private PluginJarBuilder(String id) {
    this.id = Objects.requireNonNull(id, "id");
    manifest.put("Plugin-Id", id);
    manifest.put("Plugin-Version", "1.0.0");
  }

  /** A plugin with this {@code Plugin-Id}, version 1.0.0, and nothing else yet. */
  public static PluginJarBuilder plugin(String id) {
    return new PluginJarBuilder(id);
  }

  // ---- compiling

  /**
   * Compiles sources (fully qualified class name to source text) into {@code workDir/classes} with
   * PF4J's annotation processor named explicitly, and fails with javac's messages if they do not compile.
   */
  public static Compiled compile(Path workDir, Map<String, String> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("No Java compiler: tests that build plugins need a JDK, not a JRE");
    }
    try {
      Path out = Files.createDirectories(workDir.resolve("classes"));
      List<JavaFileObject> units = new ArrayList<>();
      sources.forEach((name, text) -> units.add(new Source(name, text)));
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      List<String> options = List.of(
          "-d", out.toString(),
          "-classpath", System.getProperty("java.class.path"),
          "-processor", PROCESSOR,
          "--release", "17",
          "-Xlint:-options");
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
        if (!ok) {
          String messages = diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                  + d.getMessage(Locale.ROOT))
              .collect(Collectors.joining("\n"));
          throw new IllegalStateException("Fixture sources do not compile:\n" + messages);
        }
      }
      Path idx = out.resolve(INDEX);
      List<String> extensions = Files.exists(idx) ? readIndex(Files.readString(idx)) : List.of();
      return new Compiled(out, extensions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> readIndex(String text) {
    return text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** A source file in memory, named by its class. */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String className, String text) {
      super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  // ---- the descriptor

  public PluginJarBuilder version(String version) {
    return manifestEntry("Plugin-Version", version);
  }

  /** {@code Plugin-Class}; without it PF4J uses its plain {@code org.pf4j.Plugin}. */
  public PluginJarBuilder pluginClass(String className) {
    return manifestEntry("Plugin-Class", className);
  }

  /** {@code Plugin-Requires}: the framework versions it works with, e.g. {@code >=0.1.0}. */
  public PluginJarBuilder requires(String range) {
    return manifestEntry("Plugin-Requires", range);
  }

  /** {@code Plugin-Dependencies}: e.g. {@code core, extras@>=1.0.0, optional?}. */
  public PluginJarBuilder dependencies(String dependencies) {
    return manifestEntry("Plugin-Dependencies", dependencies);
  }

  public PluginJarBuilder description(String description) {
    return manifestEntry("Plugin-Description", description);
  }

  public PluginJarBuilder provider(String provider) {
    return manifestEntry("Plugin-Provider", provider);
  }

  /** Sets any manifest entry ({@code null} removes it); the zip form writes it to {@code plugin.properties}. */
  public PluginJarBuilder manifestEntry(String name, String value) {
    if (value == null) {
      manifest.remove(name);
    } else {
      manifest.put(name, value);
    }
    return this;
  }

  /** Writes no {@code Plugin-*} entries at all: a plain jar, not a plugin. The id still names the file. */
  public PluginJarBuilder withoutDescriptor() {
    descriptor = false;
    return this;
  }

  // ---- the content

  /**
   * Packs the class files of one package (not its sub-packages) and indexes its {@code @Extension}
   * classes, as the processor found them.
   */
  public PluginJarBuilder packageFrom(Compiled compiled, String packageName) {
    Path dir = compiled.classesDir().resolve(packageName.replace('.', '/'));
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("No classes in package " + packageName + " under " + compiled.classesDir());
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        entries.put(compiled.classesDir().relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String name : compiled.extensions()) {
      if (name.lastIndexOf('.') >= 0 && name.substring(0, name.lastIndexOf('.')).equals(packageName)) {
        index.add(name);
      }
    }
    return this;
  }

  /** A source to compile, alone with the others given this way, when the plugin is written. */
  public PluginJarBuilder source(String className, String source) {
    sources.put(className, source);
    return this;
  }

  /** Any file in the plugin, e.g. a resource; in a zip it goes under {@code classes/}. */
  public PluginJarBuilder entry(String path, byte[] content) {
    entries.put(path, content.clone());
    return this;
  }

  /** Replaces the index PF4J's processor wrote: lists these classes, present or not. */
  public PluginJarBuilder extensionsIndex(String... classNames) {
    indexOverride = List.of(classNames);
    return this;
  }

  /** Writes no {@code META-INF/extensions.idx}, as a plugin built without the processor. */
  public PluginJarBuilder withoutExtensionsIndex() {
    writeIndex = false;
    return this;
  }

  // ---- writing

  /** Writes {@code <id>-<version>.jar} into the folder. */
  public Path writeJar(Path dir) {
    return writeJar(dir, id + "-" + manifest.getOrDefault("Plugin-Version", "0") + ".jar");
  }

  /** Writes a jar: the manifest with the {@code Plugin-*} entries, the classes, the extension index. */
  public Path writeJar(Path dir, String fileName) {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (descriptor) {
      manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    }
    Path file = dir.resolve(fileName);
    try (OutputStream raw = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(raw, mf)) {
      for (Map.Entry<String, byte[]> e : content().entrySet()) {
        jar.putNextEntry(new ZipEntry(e.getKey()));
        jar.write(e.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes {@code <id>-<version>.zip} into the folder. */
  public Path writeZip(Path dir) {
    return writeZip(dir, id + "-" + manifest.getOrDefault("Plugin-Version", "0") + ".zip");
  }

  /**
   * Writes a zip in PF4J's folder layout: {@code plugin.properties} at the top (the descriptor, keys
   * {@code plugin.id}, {@code plugin.version}, ...), the classes and the index under {@code classes/}.
   */
  public Path writeZip(Path dir, String fileName) {
    Path file = dir.resolve(fileName);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      if (descriptor) {
        Properties p = new Properties();
        manifest.forEach((k, v) -> p.setProperty(k.toLowerCase(Locale.ROOT).replace('-', '.'), v));
        zip.putNextEntry(new ZipEntry("plugin.properties"));
        p.store(zip, null);
        zip.closeEntry();
      }
      for (Map.Entry<String, byte[]> e : content().entrySet()) {
        zip.putNextEntry(new ZipEntry("classes/" + e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes random bytes (seeded) under a plugin's file name: a download cut short, a wrong file. */
  public static Path writeCorrupt(Path dir, String fileName, long seed) {
    byte[] bytes = new byte[2048];
    new Random(seed).nextBytes(bytes);
    try {
      return Files.write(dir.resolve(fileName), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files to pack: the classes given, those compiled from {@link #source}, and the index. */
  private Map<String, byte[]> content() throws IOException {
    Map<String, byte[]> all = new LinkedHashMap<>(entries);
    List<String> indexed = new ArrayList<>(index);
    if (!sources.isEmpty()) {
      Path work = Files.createTempDirectory("plugin-sources-");
      try {
        Compiled compiled = compile(work, sources);
        try (Stream<Path> files = Files.walk(compiled.classesDir())) {
          for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
            all.put(compiled.classesDir().relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
          }
        }
        indexed.addAll(compiled.extensions());
      } finally {
        try (Stream<Path> paths = Files.walk(work)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    if (indexOverride != null) {
      indexed = indexOverride;
    }
    if (writeIndex && (!indexed.isEmpty() || indexOverride != null)) {
      String text = "# Generated by PF4J\n" + indexed.stream().map(n -> n + "\n").collect(Collectors.joining());
      all.put(INDEX, text.getBytes(StandardCharsets.UTF_8));
    }
    return all;
  }
}
