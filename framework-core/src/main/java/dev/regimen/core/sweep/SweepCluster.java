package dev.regimen.core.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A cluster that runs each run of a sweep as one of its tasks ({@code regimen sweep ... --spark MASTER}): the
 * service an add-on provides ({@code META-INF/services/dev.regimen.core.sweep.SweepCluster}; the Spark add-on's
 * is {@code spark}), found with {@link ServiceLoader} so that framework-core knows no cluster's classes. A task
 * starts the run's {@link ChildProcess}, the same process {@code --jobs} starts on this machine, and returns its
 * exit code; the run writes its own run folder, and the driver (this process) reads the run folders and writes
 * the sweep folder as {@link SweepRunner} always does.
 */
public interface SweepCluster {
  /** Its name, as the option says it: {@code spark} for {@code --spark}. */
  String name();

  /**
   * Starts a session on the cluster at {@code master} for one sweep, or joins the one this JVM already runs.
   *
   * @param console where the session reports what the cluster did (a task that failed and was run again)
   * @throws IllegalArgumentException if the master cannot be used, naming it
   */
  Session open(String master, PrintWriter console);

  /** A sweep's use of the cluster: closed when the sweep ends (a cluster context it started is stopped). */
  interface Session extends AutoCloseable {
    /** What runs the tasks, for the console: {@code Apache Spark 4.1.1 (Scala 2.13.17), master local[2]}. */
    String describe();

    /**
     * Whether the tasks run in this JVM (a local master): their processes are then this process's children and
     * get a terminal's Ctrl-C as the runs of {@code --jobs} do.
     */
    boolean local();

    /**
     * How many of the sweep's {@code runs} it hands the cluster at a time: on a local master, its cores; on a
     * cluster, all of them (the cluster's scheduler queues them on its cores).
     */
    int slots(int runs);

    /**
     * The native math threads each run gets: on a local master this machine's {@code available} shared out over
     * the {@code slots}, as {@code --jobs} does; on a cluster, the cores the cluster gives each task.
     */
    int threadsPerRun(int available, int slots);

    /**
     * Hands one run to the cluster as a task of its own; returns at once.
     *
     * @param id the run's name in the sweep ({@link SweepSpec.Point#id()}), for the cluster's job and messages
     */
    RunLauncher.Running submit(String id, ChildProcess run);

    /** How many task attempts failed and were run again by the cluster so far. */
    int retried();

    @Override
    void close();
  }

  /** Every sweep cluster installed, in class-path order. */
  static List<SweepCluster> installed() {
    List<SweepCluster> out = new ArrayList<>();
    ServiceLoader.load(SweepCluster.class, SweepCluster.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /**
   * The cluster of this name, or an error naming the option and what to install.
   *
   * @param option the option that asked for it ({@code "--spark local[2]"})
   */
  static SweepCluster require(String name, String option) {
    for (SweepCluster cluster : installed()) {
      if (cluster.name().equals(name)) {
        return cluster;
      }
    }
    if (name.equals("spark")) {
      throw new IllegalArgumentException(option + " runs the sweep on Spark, but the Spark add-on is not installed;"
          + " install " + dev.regimen.core.distributed.DistributedEngines.SPARK_ADD_ON);
    }
    throw new IllegalArgumentException(option + " asks for the sweep cluster '" + name + "', but none of that name"
        + " is installed");
  }
}
