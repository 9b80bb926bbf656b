package dev.regimen.spark;

import dev.regimen.core.sweep.ChildProcess;
import dev.regimen.core.sweep.RunLauncher;
import dev.regimen.core.sweep.SweepCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * A sweep on Spark: each run is a Spark job of one partition, so one task, in a job group of its own. The task
 * starts the run's {@link ChildProcess} (the process {@code --jobs} starts, built on the driver: the same
 * {@code java}, JVM options, class path and thread count) where Spark places it and returns its exit code; the
 * run writes its run folder into the sweep folder, and the driver reads it from there.
 *
 * <p>On a local master the tasks run in the driver's JVM, so the runs are this process's children, as with
 * {@code --jobs}; {@link #slots(int)} is the master's cores and each run gets this machine's threads shared out over
 * them. On a cluster every run is handed to Spark at once and its scheduler runs as many as the executors have
 * cores ({@code spark.task.cpus} each, which is also the run's native threads); the executors need the
 * distribution at the driver's path, and the sweep folder on a file system they share with the driver.
 *
 * <p>A task that fails (its executor lost, the process not started) is run again by Spark
 * ({@code spark.task.maxFailures}, or {@code local[N,F]}); a listener hears of each failed attempt, and when the
 * run's job ends the sweep says so on the console and in the run's log. A run that fails (its script's error) is
 * not a task failure: its task returns the exit code and the sweep records the run as failed, as with
 * {@code --jobs}. Stopping a run cancels its job: Spark interrupts the task, which sends the process SIGTERM (it
 * stops at the next batch boundary, its checkpoint kept) and waits for it to end.
 */
final class SparkSweep implements SweepCluster.Session {
  /** How long a stopped task waits for its run to end at a batch boundary before it kills the process. */
  private static final long STOP_SECONDS = 120;
  private static final long FLUSH_MILLIS = 10_000;

  private final JavaSparkContext context;
  private final boolean owned;
  private final PrintWriter console;
  private final String prefix = "regimen-sweep-" + UUID.randomUUID() + "-";
  private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<String>> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger jobs = new AtomicInteger();
  private final SparkListener listener;

  SparkSweep(JavaSparkContext context, boolean owned, PrintWriter console) {
    this.context = context;
    this.owned = owned;
    this.console = console;
    this.listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
        if (group != null && group.startsWith(prefix)) {
          job.stageIds().foreach(id -> stageGroups.put((Integer) id, group));
        }
      }

      @Override
      public void onTaskStart(SparkListenerTaskStart start) {
        String group = stageGroups.get(start.stageId());
        if (group != null) {
          attempts.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        String group = stageGroups.get(end.stageId());
        if (group == null) {
          return;
        }
        if (!(end.reason() instanceof Success$) && !(end.reason() instanceof TaskKilled)) {
          failures.computeIfAbsent(group, g -> new ConcurrentLinkedQueue<>()).add("attempt "
              + (end.taskInfo().attemptNumber() + 1) + " on host " + end.taskInfo().host() + " failed: "
              + firstLine(end.reason() instanceof TaskFailedReason failed ? failed.toErrorString()
                  : end.reason().toString()));
        }
        AtomicInteger running = attempts.get(group);
        if (running != null) {
          synchronized (running) {
            running.decrementAndGet();
            running.notifyAll();
          }
        }
      }
    };
    context.sc().addSparkListener(listener);
  }

  @Override
  public String describe() {
    return SparkContexts.version() + ", master " + context.master();
  }

  @Override
  public boolean local() {
    return SparkContexts.isLocal(context.master());
  }

  @Override
  public int slots(int runs) {
    return local() ? Math.max(1, context.defaultParallelism()) : Math.max(1, runs);
  }

  @Override
  public int threadsPerRun(int available, int slots) {
    return local() ? Math.max(1, available / slots) : Math.max(1, context.getConf().getInt("spark.task.cpus", 1));
  }

  @Override
  public RunLauncher.Running submit(String id, ChildProcess run) {
    String group = prefix + jobs.incrementAndGet();
    boolean failFirst = ("sweep:" + id).equals(context.getLocalProperty(SparkTraining.FAIL_FIRST_ATTEMPT));
    JavaFutureAction<List<TaskResult>> job;
    context.setJobGroup(group, "regimen sweep: " + id, true); // true: cancelling the job interrupts its task
    try {
      job = context.parallelize(List.of(run), 1).map(r -> execute(r, failFirst)).collectAsync();
    } finally {
      context.clearJobGroup();
    }
    return new SparkRun(id, group, run, job);
  }

  @Override
  public int retried() {
    return retried.get();
  }

  @Override
  public void close() {
    context.sc().removeSparkListener(listener);
    if (owned) {
      context.stop();
    }
  }

  /** A run's job, seen from the driver. */
  private final class SparkRun implements RunLauncher.Running {
    private final String id;
    private final String group;
    private final ChildProcess run;
    private final JavaFutureAction<List<TaskResult>> job;
    private volatile boolean stopped;
    private volatile TaskResult result;

    SparkRun(String id, String group, ChildProcess run, JavaFutureAction<List<TaskResult>> job) {
      this.id = id;
      this.group = group;
      this.run = run;
      this.job = job;
    }

    @Override
    public int waitFor() throws InterruptedException {
      try {
        result = job.get().get(0);
        report(true, null);
        return result.exit();
      } catch (CancellationException e) {
        awaitTaskEnd();
        return 143;
      } catch (ExecutionException e) {
        if (stopped) {
          awaitTaskEnd();
          return 143;
        }
        report(false, "error: the Spark task of this run failed, and Spark gave up on it: " + firstLine(
            e.getCause() == null ? e.toString() : String.valueOf(e.getCause().getMessage())));
        return 1;
      } catch (InterruptedException e) {
        job.cancel(true);
        throw e;
      }
    }

    @Override
    public void stop() {
      stopped = true;
      job.cancel(true);
    }

    @Override
    public String missingFolderHint() {
      TaskResult r = result;
      return r == null || local() ? null : "it ran as a Spark task on host " + r.host() + " (executor " + r.executor()
          + "), which wrote its run folder there: on a cluster the sweep folder (--out) must be on a file system that"
          + " the driver and every executor share, at the same path";
    }

    /**
     * Says which attempts of the task failed, on the console and in the run's log; {@code error} (why the job
     * failed, when {@code finished} is false) goes last into the log, where the sweep reads the run's error line.
     */
    private void report(boolean finished, String error) {
      try {
        // Spark's listener bus is asynchronous: the report of a failed attempt may trail its job's result.
        context.sc().listenerBus().waitUntilEmpty(FLUSH_MILLIS);
      } catch (Exception e) {
        console.println(id + ": the Spark task reports did not arrive within " + FLUSH_MILLIS + " ms: " + e);
      }
      List<String> lines = new ArrayList<>();
      List<String> failed = new ArrayList<>(failures.getOrDefault(group, new ConcurrentLinkedQueue<>()));
      failures.remove(group);
      for (int i = 0; i < failed.size(); i++) {
        boolean again = finished || i < failed.size() - 1; // a job that failed: all but its last attempt
        String line = "Spark: " + failed.get(i) + (again ? "; Spark ran the task again" : "");
        lines.add(line);
        console.println(id + ": " + line);
        if (again) {
          retried.incrementAndGet();
        }
      }
      console.flush();
      if (error != null) {
        lines.add(error);
      }
      if (!lines.isEmpty()) {
        try {
          Files.writeString(Path.of(run.log()), String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          console.println(id + ": cannot write to its log " + run.log() + ": " + e.getMessage());
        }
      }
    }

    /** After a cancel: waits until the killed task has ended, that is until its run has stopped. */
    private void awaitTaskEnd() throws InterruptedException {
      AtomicInteger running = attempts.get(group);
      if (running == null) {
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS + 10);
      synchronized (running) {
        while (running.get() > 0 && System.nanoTime() < deadline) {
          running.wait(1000);
        }
      }
    }
  }

  /**
   * A run's task, on an executor: starts the run's process, waits for it and returns its exit code. Interrupted
   * (its job cancelled: the sweep stops), it sends the process SIGTERM and waits for it to stop.
   */
  private static TaskResult execute(ChildProcess run, boolean failFirst) throws IOException, InterruptedException {
    TaskContext task = TaskContext.get();
    String host = InetAddress.getLocalHost().getHostName();
    String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
    if (failFirst && task != null && task.attemptNumber() == 0) {
      throw new IllegalStateException("test hook " + SparkTraining.FAIL_FIRST_ATTEMPT + ": the first attempt of this"
          + " run's task fails");
    }
    Path logs = Path.of(run.log()).getParent();
    if (logs != null && !Files.isDirectory(logs)) {
      throw new IllegalStateException("the sweep folder's " + logs + " does not exist on host " + host + " (executor "
          + executor + "): the runs write into the sweep folder, so on a cluster the sweep folder (--out) must be on"
          + " a file system that the driver and every executor share, at the same path");
    }
    Process process = run.start();
    try {
      return new TaskResult(process.waitFor(), host, executor);
    } catch (InterruptedException e) {
      process.destroy(); // SIGTERM: the run stops at the next batch boundary, its checkpoint kept
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      throw e;
    }
  }

  /**
   * What a run's task returns.
   *
   * @param exit the run's exit code
   * @param host the host it ran on
   * @param executor the executor's id ({@code driver} on a local master)
   */
  record TaskResult(int exit, String host, String executor) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static String firstLine(String s) {
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline);
  }
}
