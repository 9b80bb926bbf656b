package dev.regimen.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Option;

/**
 * The Spark context a training ({@link SparkEngine}) or a sweep ({@link SparkSweeps}) uses: the one this JVM
 * already runs (under {@code spark-submit}, or one a test shares), joined and left running, else one started for
 * it and stopped after. A local master binds to the loopback address; no web UI, no console progress bars. The
 * JVM needs Spark's {@code --add-opens} flags on Java 17 and newer; {@code bin/regimen} and the module's tests
 * pass them.
 */
final class SparkContexts {
  private SparkContexts() {}

  /**
   * A context and whether this use started it (and so stops it).
   *
   * @param context the context
   * @param owned whether it was started here
   */
  record Joined(JavaSparkContext context, boolean owned) {}

  /** {@code Apache Spark 4.1.1, Scala 2.13.17}. */
  static String version() {
    return "Apache Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Scala "
        + scala.util.Properties.versionNumberString();
  }

  /** Whether the tasks of this master run in the driver's JVM: {@code local}, {@code local[N]}, {@code local[N,F]}. */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  /**
   * Joins the running context, else starts one.
   *
   * @param asked the master asked for, or {@code null} for any running context's
   * @param fallback the master to start when none runs and none was asked for
   * @param option the option that names the master, for errors ({@code distributed.master}, {@code --spark})
   * @param advice what to do when a context with another master runs ({@code leave distributed.master out})
   * @throws IllegalArgumentException if a context with another master runs, or Spark cannot start this master
   */
  static Joined startOrJoin(String asked, String fallback, String option, String advice) {
    Option<SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
    if (active.isDefined()) {
      SparkContext running = active.get();
      if (asked != null && !asked.equals(running.master())) {
        throw new IllegalArgumentException(option + " is '" + asked + "', but this JVM already runs a Spark context"
            + " with master '" + running.master() + "'; " + advice);
      }
      return new Joined(JavaSparkContext.fromSparkContext(running), false);
    }
    String master = asked != null ? asked : fallback;
    SparkConf conf = new SparkConf().setAppName("regimen").setMaster(master)
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false");
    if (isLocal(master)) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    try {
      return new Joined(new JavaSparkContext(conf), true);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(option + " '" + master + "': Spark cannot start a context with this master: "
          + e.getMessage(), e);
    }
  }
}
