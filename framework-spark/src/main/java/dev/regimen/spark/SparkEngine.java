package dev.regimen.spark;

import dev.regimen.core.distributed.DistributedEngine;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedSession;
import dev.regimen.core.distributed.WorkerSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Option;

/**
 * The {@code spark} engine. It joins the Spark context that is running in this JVM (under {@code spark-submit},
 * or one a test shares between its trainings) and otherwise starts one for the training and stops it after:
 * master {@code distributed.master}, else {@code local[workers]}. A local master binds to the loopback address
 * and runs without the web UI.
 */
public final class SparkEngine implements DistributedEngine {
  /** The engine's name in the trainer option. */
  public static final String NAME = "spark";

  /** Made by {@link java.util.ServiceLoader}. */
  public SparkEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return "Apache Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Scala "
        + scala.util.Properties.versionNumberString();
  }

  @Override
  public DistributedSession open(DistributedOptions options, WorkerSpec spec) {
    Option<SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
    if (active.isDefined()) {
      SparkContext running = active.get();
      if (options.master() != null && !options.master().equals(running.master())) {
        throw new IllegalArgumentException("distributed.master is '" + options.master() + "', but this JVM already"
            + " runs a Spark context with master '" + running.master() + "'; leave distributed.master out to use it");
      }
      return new SparkTraining(JavaSparkContext.fromSparkContext(running), false, spec, describe());
    }
    String master = options.master() != null ? options.master() : "local[" + options.workers() + "]";
    SparkConf conf = new SparkConf().setAppName("regimen").setMaster(master)
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    return new SparkTraining(new JavaSparkContext(conf), true, spec, describe());
  }
}
