/**
 * The Spark add-on: {@link dev.regimen.spark.SparkEngine}, the {@code spark} engine of the trainer option
 * {@code distributed: {engine: 'spark', ...}} (see {@link dev.regimen.core.distributed}), found by framework-core
 * through {@link java.util.ServiceLoader} when these jars are on the class path (the distribution's
 * {@code addons/spark/}).
 *
 * <p>Spark version: Apache Spark 4.1 for Scala 2.13. Spark 4 needs Java 17 or newer, as Regimen does, and runs
 * on JDK 25 with the {@code --add-opens} flags Spark's own launcher sets (Regimen's launcher and this module's
 * tests set them); its Hadoop client (3.4.2) no longer calls {@code Subject.getSubject}, which JDK 23 and newer
 * refuse. So the fallback to Spark 3.5 was not needed. Only {@code spark-core} is used (RDDs, broadcasts, tree
 * aggregates), not Spark SQL.
 *
 * <p>Each call of a training is one Spark job: the driver's state bytes are broadcast, one partition per worker
 * holds its task, each task runs {@link dev.regimen.core.distributed.Workers}, and the results are combined with
 * {@code treeAggregate}. A task that fails is retried by Spark's scheduler ({@code spark.task.maxFailures}, or the
 * second number of {@code local[N,F]}), and the training's log says so.
 *
 * <p>{@link dev.regimen.spark.SparkSweeps} is the {@code spark} {@link dev.regimen.core.sweep.SweepCluster} of
 * {@code regimen sweep ... --spark MASTER}: each run of a sweep is one Spark task that starts the run's process
 * ({@link dev.regimen.core.sweep.ChildProcess}), the one {@code --jobs} starts. The training engine and the sweeps
 * start or join their Spark context the same way ({@code SparkContexts}).
 */
package dev.regimen.spark;
