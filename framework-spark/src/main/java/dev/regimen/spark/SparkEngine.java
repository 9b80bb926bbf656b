package dev.regimen.spark;

import dev.regimen.core.distributed.DistributedEngine;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedSession;
import dev.regimen.core.distributed.WorkerSpec;

/**
 * The {@code spark} engine. It joins the Spark context that is running in this JVM (under {@code spark-submit},
 * or one a test shares between its trainings) and otherwise starts one for the training and stops it after:
 * master {@code distributed.master}, else {@code local[workers]} ({@link SparkContexts}).
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
    return SparkContexts.version();
  }

  @Override
  public DistributedSession open(DistributedOptions options, WorkerSpec spec) {
    SparkContexts.Joined joined = SparkContexts.startOrJoin(options.master(), "local[" + options.workers() + "]",
        "distributed.master", "leave distributed.master out to use it");
    return new SparkTraining(joined.context(), joined.owned(), spec, describe());
  }
}
