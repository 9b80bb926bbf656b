package dev.regimen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedOptions.Sync;
import dev.regimen.core.train.Trainer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's task that fails is run again by Spark ({@code local[2,2]}: two threads, two attempts a task), the
 * training goes on with the same numbers, and its log says what failed.
 */
class RetryTest {
  private static JavaSparkContext spark;
  private static Dataset train;
  private static Dataset validation;

  @BeforeAll
  static void start() {
    spark = SparkTests.context("local[2,2]");
    Dataset[] digits = SparkTests.digits();
    int[] rows = new int[200];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    train = digits[0].subset(rows);
    validation = digits[1];
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Layer fit(DistributedOptions options) {
    Layer model = SparkTests.mlp();
    new Trainer(SparkTests.config("sgd", Map.of("lr", 0.1), options).epochs(1).build()).fit(model, train, validation);
    return model;
  }

  @Test
  void aFailedTaskIsRetriedAndTheRunSaysSo() {
    DistributedOptions options = new DistributedOptions("spark", null, 2, Sync.GRADIENTS, 1);
    Layer clean = fit(options);

    Captured log = Captured.attach();
    spark.setLocalProperty(SparkTraining.FAIL_FIRST_ATTEMPT, "0:2:1"); // epoch 1, batch 3, worker 1
    Layer retried;
    try {
      retried = fit(options);
    } finally {
      spark.setLocalProperty(SparkTraining.FAIL_FIRST_ATTEMPT, null);
      log.detach();
    }

    // Two workers' sums are the same in either order: the retried training is the clean one, bit for bit.
    assertEquals(0.0, SparkTests.maxDifference(SparkTests.weights(clean), SparkTests.weights(retried)));
    List<String> failures = log.messages.stream().filter(m -> m.contains("failed and Spark runs it again")).toList();
    assertEquals(1, failures.size(), "warnings: " + log.messages);
    assertTrue(failures.get(0).contains("the task of worker 1") && failures.get(0).contains("attempt 1")
        && failures.get(0).contains("the first attempt of task 0:2:1 fails"), failures.get(0));
    assertTrue(log.messages.stream().anyMatch(m -> m.contains("1 worker task(s) failed and were retried")),
        "warnings: " + log.messages);
  }

  /** The warnings logged while it is started. */
  private static final class Captured extends AbstractAppender {
    final List<String> messages = new CopyOnWriteArrayList<>();

    private Captured() {
      super("captured", null, null, true, Property.EMPTY_ARRAY);
    }

    static Captured attach() {
      Captured appender = new Captured();
      appender.start();
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      context.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
      context.updateLoggers();
      return appender;
    }

    @Override
    public void append(LogEvent event) {
      messages.add(event.getMessage().getFormattedMessage());
    }

    void detach() {
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      context.getConfiguration().getRootLogger().removeAppender(getName());
      context.updateLoggers();
      stop();
    }
  }
}
