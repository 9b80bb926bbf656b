package dev.regimen.core.distributed;

/**
 * A distributed engine that runs the workers' computations of a data-parallel training: the service that an
 * add-on provides ({@code META-INF/services/dev.regimen.core.distributed.DistributedEngine}) and
 * {@link DistributedEngines} finds on the class path. An engine moves bytes and runs {@link Workers}' methods on
 * its workers; every number the training sees is computed by those methods and by the trainer.
 */
public interface DistributedEngine {

  /** The name the trainer option uses: {@code distributed: {engine: 'spark'}}. */
  String name();

  /** What it is, for {@code regimen version}: {@code Apache Spark 4.1.1 (Scala 2.13.17)}. */
  String describe();

  /**
   * Starts (or joins) the engine for one training.
   *
   * @throws IllegalArgumentException if the options do not suit this engine (a master it cannot use), naming them
   */
  DistributedSession open(DistributedOptions options, WorkerSpec spec);
}
