package dev.regimen.api.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Chooses the fastest libnd4j build that this CPU can run, before ND4J loads its native library.
 *
 * <p>ND4J's CPU backend ships several builds of libnd4j as jars with different classifiers: the
 * plain {@code linux-x86_64} one (generic x86-64, its own convolution and pooling loops) and the
 * oneDNN ones, {@code linux-x86_64-onednn-avx2} and {@code -onednn-avx512}, which run convolutions,
 * pooling, batch norm and matmul through Intel's oneDNN and compile libnd4j's own loops for those
 * instruction sets (on the benchmark's CNN, 3x the plain build's training speed). JavaCPP picks one
 * by the system property {@value #EXTENSION_PROPERTY}, read once, when ND4J first loads; a build
 * whose instructions the CPU lacks dies on the first op with an illegal instruction, so the choice
 * has to be made from the CPU's flags, here, first.
 *
 * <p>{@link #select()} is called by the launcher before anything else, by {@link Tensor} when it is
 * first used, and by the test runner of every module; calling it again does nothing. The rule:
 * <ol>
 *   <li>a user's own {@code -D}{@value #EXTENSION_PROPERTY} wins, as JavaCPP documents it;
 *   <li>else {@code -D}{@value #BUILD_PROPERTY} (or the environment variable {@value #BUILD_ENV}) names
 *       the build: {@code auto} (the default), {@code plain}, {@code onednn-avx2} or
 *       {@code onednn-avx512}; naming one that the CPU cannot run, or whose jar is not on the class
 *       path, is an error that says which;
 *   <li>{@code auto}: on Linux x86-64, {@code onednn-avx512} when the CPU has AVX-512 F, CD, BW, DQ
 *       and VL, else {@code onednn-avx2} when it has AVX2, FMA, F16C, BMI1 and BMI2, each only when
 *       its jar is on the class path; else (another OS or architecture, an old CPU) the plain build.
 * </ol>
 * {@link #describe()} says what was loaded in the end: {@code regimen version} prints it.
 */
public final class NativeBuild {
  private NativeBuild() {}

  /** JavaCPP's own property: the suffix of the native build it loads, e.g. {@code -onednn-avx2}. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  /** Regimen's choice of build: {@code auto}, {@code plain}, {@code onednn-avx2}, {@code onednn-avx512}. */
  public static final String BUILD_PROPERTY = "regimen.nd4j.build";
  /** The same as {@value #BUILD_PROPERTY}, from the environment; the property wins. */
  public static final String BUILD_ENV = "REGIMEN_ND4J_BUILD";

  /** The builds, fastest first, with the CPU flags (as {@code /proc/cpuinfo} names them) each needs. */
  enum Build {
    ONEDNN_AVX512("onednn-avx512", List.of("avx2", "fma", "f16c", "bmi1", "bmi2",
        "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")),
    ONEDNN_AVX2("onednn-avx2", List.of("avx2", "fma", "f16c", "bmi1", "bmi2")),
    PLAIN("plain", List.of());

    final String id;
    final List<String> flags;

    Build(String id, List<String> flags) {
      this.id = id;
      this.flags = flags;
    }

    /** JavaCPP's platform extension for this build: {@code ""} for the plain one. */
    String extension() {
      return this == PLAIN ? "" : "-" + id;
    }

    static Build parse(String value) {
      for (Build b : values()) {
        if (b.id.equals(value)) {
          return b;
        }
      }
      throw new IllegalArgumentException(BUILD_PROPERTY + " must be auto, plain, onednn-avx2 or onednn-avx512, not '"
          + value + "'");
    }
  }

  /**
   * What {@link #select()} decided.
   *
   * @param extension the platform extension JavaCPP will load ({@code ""} = the plain build)
   * @param reason why, in words, for {@code regimen version} and the logs
   */
  public record Choice(String extension, String reason) {}

  private static Choice selected;

  /**
   * Chooses the libnd4j build for this CPU and sets {@value #EXTENSION_PROPERTY} accordingly, unless
   * the user set it; idempotent. Call it before anything touches {@link Nd4j} or JavaCPP: JavaCPP reads
   * the property once, when its {@code Loader} class loads, so a later choice changes nothing
   * ({@link #describe()} then says so).
   *
   * @throws IllegalArgumentException if {@value #BUILD_PROPERTY} names no build
   * @throws IllegalStateException if it names a build that this CPU cannot run or that is not installed
   */
  public static synchronized Choice select() {
    if (selected != null) {
      return selected;
    }
    String requested = System.getProperty(BUILD_PROPERTY);
    if (requested == null || requested.isBlank()) {
      requested = System.getenv(BUILD_ENV);
    }
    Choice choice = choose(System.getProperty(EXTENSION_PROPERTY), requested, platform(), cpuFlags(),
        NativeBuild::installed);
    // No JavaCPP class may be touched before this line: Loader reads the property once, when it loads.
    if (System.getProperty(EXTENSION_PROPERTY) == null && !choice.extension().isEmpty()) {
      System.setProperty(EXTENSION_PROPERTY, choice.extension());
    }
    selected = choice;
    return choice;
  }

  /**
   * {@link #select()} for class initializers, which must not throw: a bad {@value #BUILD_PROPERTY} is
   * logged and the plain build used.
   */
  static void selectOrWarn() {
    try {
      select();
    } catch (IllegalArgumentException | IllegalStateException e) {
      org.slf4j.LoggerFactory.getLogger(NativeBuild.class).warn("{}; using ND4J's plain build", e.getMessage());
      synchronized (NativeBuild.class) {
        selected = new Choice("", e.getMessage());
      }
    }
  }

  /**
   * The decision itself, free of the machine so that tests can give it any CPU.
   *
   * @param userExtension {@value #EXTENSION_PROPERTY} as the user set it, or null
   * @param requested {@value #BUILD_PROPERTY}, or null for {@code auto}
   * @param platform JavaCPP's platform name, e.g. {@code linux-x86_64}
   * @param flags the CPU's feature flags, lower case
   * @param installed whether the jar of a platform-plus-extension (e.g. {@code linux-x86_64-onednn-avx2}) is on the class path
   */
  static Choice choose(String userExtension, String requested, String platform, Set<String> flags,
      Predicate<String> installed) {
    if (userExtension != null) {
      return new Choice(userExtension, "set by -D" + EXTENSION_PROPERTY);
    }
    String value = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    if (!value.equals("auto")) {
      Build build = Build.parse(value);
      if (build == Build.PLAIN) {
        return new Choice("", "plain build requested by " + BUILD_PROPERTY + "=plain");
      }
      List<String> missing = missing(build, flags);
      if (!missing.isEmpty()) {
        throw new IllegalStateException(BUILD_PROPERTY + "=" + value + " but this CPU lacks " + String.join(", ", missing)
            + "; use auto or plain");
      }
      if (!installed.test(platform + build.extension())) {
        throw new IllegalStateException(BUILD_PROPERTY + "=" + value + " but the jar nd4j-native-*-" + platform
            + build.extension() + ".jar is not on the class path");
      }
      return new Choice(build.extension(), "requested by " + BUILD_PROPERTY + "=" + value);
    }
    if (!platform.equals("linux-x86_64")) {
      return new Choice("", "plain build: no oneDNN build is shipped for " + platform);
    }
    for (Build build : Build.values()) {
      if (build == Build.PLAIN) {
        break;
      }
      if (missing(build, flags).isEmpty() && installed.test(platform + build.extension())) {
        return new Choice(build.extension(), "chosen for this CPU: " + String.join(" ", build.flags));
      }
    }
    List<String> lacking = missing(Build.ONEDNN_AVX2, flags);
    return new Choice("", lacking.isEmpty() ? "plain build: no oneDNN build is on the class path"
        : "plain build: this CPU lacks " + String.join(", ", lacking));
  }

  private static List<String> missing(Build build, Set<String> flags) {
    return build.flags.stream().filter(f -> !flags.contains(f)).toList();
  }

  /** JavaCPP's platform name, computed as JavaCPP does for the cases that matter, without touching its Loader. */
  static String platform() {
    String explicit = System.getProperty("org.bytedeco.javacpp.platform");
    if (explicit != null) {
      return explicit;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
        : os.startsWith("windows") ? "windows" : os;
    String archName = switch (arch) {
      case "amd64", "x86_64", "x86-64" -> "x86_64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
    return osName + "-" + archName;
  }

  /** The CPU's feature flags from {@code /proc/cpuinfo}; empty where there is none (not Linux). */
  static Set<String> cpuFlags() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Set.of();
    }
    try (var lines = Files.lines(cpuinfo)) {
      return lines.filter(l -> l.startsWith("flags")).findFirst()
          .<Set<String>>map(l -> new TreeSet<>(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
          .orElse(Set.of());
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }

  private static boolean installed(String platformDir) {
    String resource = "org/nd4j/linalg/cpu/nativecpu/bindings/" + platformDir + "/libjnind4jcpu.so";
    return NativeBuild.class.getClassLoader().getResource(resource) != null;
  }

  /**
   * What ND4J runs on, one fact per line: the ND4J version and backend, the libnd4j build that was
   * loaded and why, and the BLAS. Loads ND4J (after {@link #select()}), so it takes a second.
   */
  public static List<String> describe() {
    Choice choice = select();
    Nd4j.getBackend();
    Map<String, String> loaded = Loader.getLoadedLibraries();
    List<String> lines = new ArrayList<>();
    lines.add("nd4j " + mavenVersion("org.nd4j", "nd4j-native") + ", backend " + Nd4j.getBackend().getClass().getSimpleName()
        + ", " + Nd4j.getEnvironment().maxMasterThreads() + " threads");
    String build = loaded.entrySet().stream().filter(e -> e.getKey().contains("jnind4jcpu")).map(Map.Entry::getValue)
        .map(NativeBuild::platformDirOf).findFirst().orElse("unknown");
    String wanted = platform() + choice.extension();
    lines.add("libnd4j " + build + " (" + (build.equals(wanted) ? choice.reason()
        : "not " + wanted + ": JavaCPP's Loader was used before Regimen chose the build") + ")");
    String blasPath = loaded.entrySet().stream().filter(e -> e.getKey().contains("openblas") && !e.getKey().contains("jni"))
        .map(Map.Entry::getValue).findFirst().orElse("");
    String vendor = Nd4j.factory().blas().getBlasVendor().toString();
    boolean bundled = blasPath.isEmpty() || blasPath.contains("/org/bytedeco/openblas/");
    lines.add("blas " + vendor + " (" + (bundled ? "bundled, org.bytedeco:openblas " + mavenVersion("org.bytedeco", "openblas")
        : "the system's") + (blasPath.isEmpty() ? "" : ", " + blasPath) + ")");
    return lines;
  }

  /** The folder name JavaCPP extracts a build to, e.g. {@code linux-x86_64-onednn-avx2}, from a library's path. */
  static String platformDirOf(String libraryPath) {
    String[] parts = libraryPath.replace('\\', '/').split("/");
    return parts.length >= 2 ? parts[parts.length - 2] : libraryPath;
  }

  private static String mavenVersion(String group, String artifact) {
    String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = NativeBuild.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "(version unknown)";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "(version unknown)");
    } catch (IOException e) {
      return "(version unknown)";
    }
  }
}
