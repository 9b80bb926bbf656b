package dev.regimen.spark;

import dev.regimen.core.distributed.DistributedSession;
import dev.regimen.core.distributed.GradientSum;
import dev.regimen.core.distributed.GradientTask;
import dev.regimen.core.distributed.ParameterSum;
import dev.regimen.core.distributed.RoundTask;
import dev.regimen.core.distributed.WorkerSpec;
import dev.regimen.core.distributed.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.Success$;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * One training on Spark: the worker spec broadcast once, then per call the state bytes broadcast, one partition
 * per task, {@link Workers} in each, and a tree aggregate of the results (depth 2: with many workers, executors
 * add partial sums before the driver sees them). The calls run in a job group of their own, so that the
 * listener that reports failed tasks hears only this training's.
 */
final class SparkTraining implements DistributedSession {
  /**
   * A test hook: the Spark local property ({@link JavaSparkContext#setLocalProperty}) whose value
   * {@code epoch:batch:shard} makes the first attempt of that task fail (for a round, {@code batch} is its first
   * batch), so that a test sees Spark retry it.
   */
  static final String FAIL_FIRST_ATTEMPT = "regimen.test.failFirstAttempt";

  private static final int TREE_DEPTH = 2;
  private static final long FLUSH_MILLIS = 10_000;

  private final JavaSparkContext context;
  private final boolean owned;
  private final String engine;
  private final String group = "regimen-" + UUID.randomUUID();
  private final Broadcast<WorkerSpec> spec;
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private final SparkListener listener;

  SparkTraining(JavaSparkContext context, boolean owned, WorkerSpec spec, String engine) {
    this.context = context;
    this.owned = owned;
    this.engine = engine;
    this.spec = context.broadcast(spec);
    this.listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        if (job.properties() != null && group.equals(job.properties().getProperty("spark.jobGroup.id"))) {
          job.stageIds().foreach(id -> stages.add((Integer) id));
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (stages.contains(end.stageId()) && !(end.reason() instanceof Success$)) {
          events.add("the task of worker " + end.taskInfo().partitionId() + " (stage " + end.stageId() + ", attempt "
              + (end.taskInfo().attemptNumber() + 1) + ") failed and Spark runs it again: "
              + firstLine(end.reason() instanceof TaskFailedReason failed ? failed.toErrorString()
                  : end.reason().toString()));
        }
      }
    };
    context.sc().addSparkListener(listener);
  }

  @Override
  public GradientSum gradients(byte[] state, List<GradientTask> tasks) {
    Broadcast<WorkerSpec> specs = spec;
    Broadcast<byte[]> shared = context.broadcast(state);
    try {
      context.setJobGroup(group, "regimen: gradients", false);
      return context.parallelize(new ArrayList<>(tasks), tasks.size())
          .map(task -> {
            failFirstAttempt(task.epoch() + ":" + task.batch() + ":" + task.shard());
            return Workers.gradients(specs.value(), shared.value(), task);
          })
          .treeAggregate(GradientSum.empty(), GradientSum::merge, GradientSum::merge, TREE_DEPTH);
    } finally {
      context.clearJobGroup();
      shared.destroy();
    }
  }

  @Override
  public ParameterSum localSteps(byte[] state, List<RoundTask> tasks) {
    Broadcast<WorkerSpec> specs = spec;
    Broadcast<byte[]> shared = context.broadcast(state);
    try {
      context.setJobGroup(group, "regimen: local steps", false);
      return context.parallelize(new ArrayList<>(tasks), tasks.size())
          .map(task -> {
            failFirstAttempt(task.epoch() + ":" + task.firstBatch() + ":" + task.shard());
            return Workers.localSteps(specs.value(), shared.value(), task);
          })
          .treeAggregate(ParameterSum.empty(), ParameterSum::merge, ParameterSum::merge, TREE_DEPTH);
    } finally {
      context.clearJobGroup();
      shared.destroy();
    }
  }

  @Override
  public String describe() {
    return engine + ", master " + context.master();
  }

  @Override
  public List<String> drainEvents(boolean flush) {
    if (flush) {
      try {
        // Spark's listener bus is asynchronous: the report of a failed task may trail its job's result.
        context.sc().listenerBus().waitUntilEmpty(FLUSH_MILLIS);
      } catch (Exception e) {
        events.add("the engine's task reports did not arrive within " + FLUSH_MILLIS + " ms: " + e);
      }
    }
    List<String> out = new ArrayList<>();
    for (String e = events.poll(); e != null; e = events.poll()) {
      out.add(e);
    }
    return out;
  }

  @Override
  public void close() {
    context.sc().removeSparkListener(listener);
    spec.destroy();
    if (owned) {
      context.stop();
    }
  }

  /** Runs on a worker: fails the first attempt of the task the test hook names. */
  private static void failFirstAttempt(String task) {
    TaskContext ctx = TaskContext.get();
    if (ctx != null && task.equals(ctx.getLocalProperty(FAIL_FIRST_ATTEMPT)) && ctx.attemptNumber() == 0) {
      throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": the first attempt of task " + task
          + " fails");
    }
  }

  private static String firstLine(String s) {
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline);
  }
}
