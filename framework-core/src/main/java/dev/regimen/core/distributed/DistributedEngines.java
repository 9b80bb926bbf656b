package dev.regimen.core.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link DistributedEngine}s on the class path, found by {@link ServiceLoader}. */
public final class DistributedEngines {
  /** What to install for the engine {@code spark}, for error messages and {@code regimen version}. */
  public static final String SPARK_ADD_ON = "the Spark add-on (unpack regimen-<version>-spark-addon.tar.gz or .zip"
      + " into the Regimen folder, which adds addons/spark/; those archives come beside the distribution's own, and a"
      + " build writes them to distribution/target/; ./regimen in a source checkout has it; from a build, add"
      + " framework-spark to the class path)";

  private DistributedEngines() {}

  /** Every engine installed, in class-path order. */
  public static List<DistributedEngine> installed() {
    List<DistributedEngine> out = new ArrayList<>();
    ServiceLoader.load(DistributedEngine.class, DistributedEngines.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /**
   * The engine of this name, or an error naming the option, the engines that are installed and what to install.
   *
   * @param option the option that asked for it ({@code "Option 'distributed.engine' of rg.trainer"})
   */
  public static DistributedEngine require(String name, String option) {
    List<DistributedEngine> all = installed();
    for (DistributedEngine engine : all) {
      if (engine.name().equals(name)) {
        return engine;
      }
    }
    String found = all.isEmpty() ? "no distributed engine is installed"
        : "the installed engines are " + String.join(", ", all.stream().map(DistributedEngine::name).toList());
    String install = name.equals("spark") ? "; install " + SPARK_ADD_ON : "";
    throw new IllegalArgumentException(option + " asks for engine '" + name + "', but " + found + install);
  }
}
