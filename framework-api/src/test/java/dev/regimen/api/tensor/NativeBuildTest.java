package dev.regimen.api.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The choice of libnd4j build, for CPUs and installations other than this machine's. */
class NativeBuildTest {
  private static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi1", "bmi2");
  private static final Set<String> AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi1", "bmi2",
      "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
  private static final Set<String> OLD = Set.of("sse4_2", "avx");
  private static final Predicate<String> ALL = dir -> true;

  private static NativeBuild.Choice auto(Set<String> flags, Predicate<String> installed) {
    return NativeBuild.choose(null, null, "linux-x86_64", flags, installed);
  }

  @Test
  void picksTheWidestOneDnnBuildTheCpuCanRun() {
    assertEquals("-onednn-avx512", auto(AVX512, ALL).extension());
    assertEquals("-onednn-avx2", auto(AVX2, ALL).extension());
    assertEquals("", auto(OLD, ALL).extension());
    assertTrue(auto(OLD, ALL).reason().contains("lacks avx2"), auto(OLD, ALL).reason());
  }

  @Test
  void skipsBuildsWhoseJarIsMissing() {
    assertEquals("-onednn-avx2", auto(AVX512, dir -> dir.endsWith("-onednn-avx2")).extension());
    NativeBuild.Choice none = auto(AVX512, dir -> false);
    assertEquals("", none.extension());
    assertTrue(none.reason().contains("no oneDNN build is on the class path"), none.reason());
  }

  @Test
  void otherPlatformsGetThePlainBuild() {
    NativeBuild.Choice mac = NativeBuild.choose(null, null, "macosx-x86_64", AVX512, ALL);
    assertEquals("", mac.extension());
    assertTrue(mac.reason().contains("macosx-x86_64"), mac.reason());
    assertEquals("", NativeBuild.choose(null, null, "linux-arm64", Set.of(), ALL).extension());
  }

  @Test
  void theUsersJavaCppPropertyWins() {
    NativeBuild.Choice c = NativeBuild.choose("-avx2", "onednn-avx512", "linux-x86_64", AVX512, ALL);
    assertEquals("-avx2", c.extension());
    assertTrue(c.reason().contains(NativeBuild.EXTENSION_PROPERTY), c.reason());
  }

  @Test
  void anExplicitRequestIsHonouredOrRefusedWithTheReason() {
    assertEquals("", NativeBuild.choose(null, "plain", "linux-x86_64", AVX512, ALL).extension());
    assertEquals("-onednn-avx2", NativeBuild.choose(null, " ONEDNN-AVX2 ", "linux-x86_64", AVX512, ALL).extension());
    assertEquals("-onednn-avx512", NativeBuild.choose(null, "auto", "linux-x86_64", AVX512, ALL).extension());

    IllegalStateException cpu = assertThrows(IllegalStateException.class,
        () -> NativeBuild.choose(null, "onednn-avx512", "linux-x86_64", AVX2, ALL));
    assertTrue(cpu.getMessage().contains("lacks avx512f, avx512cd, avx512bw, avx512dq, avx512vl"), cpu.getMessage());
    IllegalStateException jar = assertThrows(IllegalStateException.class,
        () -> NativeBuild.choose(null, "onednn-avx2", "linux-x86_64", AVX2, dir -> false));
    assertTrue(jar.getMessage().contains("linux-x86_64-onednn-avx2.jar is not on the class path"), jar.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> NativeBuild.choose(null, "fastest", "linux-x86_64", AVX2, ALL));
    assertTrue(bad.getMessage().contains("not 'fastest'"), bad.getMessage());
  }

  @Test
  void theTestsRunOnTheBuildChosenForThisMachine() {
    // The launcher-session listener chose before any test touched ND4J; what loaded is that choice.
    String described = String.join("\n", NativeBuild.describe());
    String wanted = NativeBuild.platform() + NativeBuild.select().extension();
    assertTrue(described.contains("libnd4j " + wanted + " ("), described);
    assertTrue(described.contains("blas OPENBLAS ("), described);
  }

  @Test
  void readsTheBuildFromTheExtractedLibrarysFolder() {
    assertEquals("linux-x86_64-onednn-avx2", NativeBuild.platformDirOf(
        "/root/.javacpp/cache/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar/org/nd4j/linalg/cpu/nativecpu/bindings/"
            + "linux-x86_64-onednn-avx2/libjnind4jcpu.so"));
  }
}
