package dev.regimen.spark;

import dev.regimen.core.sweep.SweepCluster;
import java.io.PrintWriter;

/**
 * The {@code spark} sweep cluster: {@code regimen sweep SCRIPT ... --spark MASTER} runs each run of the sweep as
 * one Spark task ({@link SparkSweep}). It joins the Spark context this JVM runs, else starts one at the master
 * and stops it when the sweep ends ({@link SparkContexts}).
 */
public final class SparkSweeps implements SweepCluster {
  /** Made by {@link java.util.ServiceLoader}. */
  public SparkSweeps() {}

  @Override
  public String name() {
    return SparkEngine.NAME;
  }

  @Override
  public Session open(String master, PrintWriter console) {
    SparkContexts.Joined joined = SparkContexts.startOrJoin(master, master, "--spark",
        "give --spark that master to run the sweep on it");
    return new SparkSweep(joined.context(), joined.owned(), console);
  }
}
