package dev.regimen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.core.checkpoint.CheckpointStore;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.distributed.DistributedOptions;
import dev.regimen.core.distributed.DistributedOptions.Sync;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on {@code local[2]}, against one process on the same batches: gradient sync equals it
 * up to float32 rounding; parameter averaging gets as far. One Spark context serves every test (the engine joins
 * it).
 */
class GradientSyncTest {
  private static JavaSparkContext spark;
  private static Dataset train;
  private static Dataset validation;
  private static Dataset test;

  @BeforeAll
  static void start() {
    spark = SparkTests.context("local[2]");
    Dataset[] digits = SparkTests.digits();
    train = digits[0];
    validation = digits[1];
    test = digits[2];
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainingResult fit(Layer model, String optimizer, Map<String, Object> options,
      DistributedOptions distributed, int epochs) {
    return fit(model, train, optimizer, options, distributed, epochs);
  }

  private static TrainingResult fit(Layer model, Dataset data, String optimizer, Map<String, Object> options,
      DistributedOptions distributed, int epochs) {
    return new Trainer(SparkTests.config(optimizer, options, distributed).epochs(epochs).build())
        .fit(model, data, validation);
  }

  /** The first {@code n} training rows: few steps, for the tests that compare every step's numbers. */
  private static Dataset head(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return train.subset(rows);
  }

  @Test
  void gradientSyncOnTwoWorkersMatchesOneProcessOnTheCombinedBatch() {
    Map<String, Object> sgd = Map.of("lr", 0.1, "momentum", 0.9);
    Dataset data = head(296);
    Layer alone = SparkTests.mlp();
    TrainingResult one = fit(alone, data, "sgd", sgd, null, 2);
    Layer shared = SparkTests.mlp();
    TrainingResult two = fit(shared, data, "sgd", sgd, new DistributedOptions("spark", null, 2, Sync.GRADIENTS, 1), 2);

    // 2 epochs of 10 batches: 20 steps, each batch split 16 + 16 (the last, 8 rows, 4 + 4).
    double difference = SparkTests.maxDifference(SparkTests.weights(alone), SparkTests.weights(shared));
    assertTrue(difference < 2e-5, "the parameters differ by " + difference);
    for (String metric : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
      for (int e = 0; e < 2; e++) {
        assertEquals(one.history().series(metric).get(e), two.history().series(metric).get(e), 1e-5,
            metric + " of epoch " + (e + 1));
      }
    }
    assertTrue(one.history().series("val_accuracy").get(1) > 0.6, "the MLP learned: " + one.history().epoch(1));
  }

  @Test
  void gradientSyncWithAdamAndUnevenShardsMatchesOneProcess() {
    Map<String, Object> adam = Map.of("lr", 2e-3);
    Dataset data = head(296);
    Layer alone = SparkTests.mlp();
    fit(alone, data, "adam", adam, null, 1);
    Layer shared = SparkTests.mlp();
    // Three workers on two cores: batches of 32 split 10 + 11 + 11, the last of 8 split 2 + 3 + 3.
    fit(shared, data, "adam", adam, new DistributedOptions("spark", null, 3, Sync.GRADIENTS, 1), 1);
    double difference = SparkTests.maxDifference(SparkTests.weights(alone), SparkTests.weights(shared));
    assertTrue(difference < 1e-5, "the parameters differ by " + difference);
  }

  @Test
  void aDistributedTrainingResumedFromItsCheckpointIsTheUninterruptedOneBitForBit(@TempDir Path dir) {
    Map<String, Object> adam = Map.of("lr", 2e-3);
    DistributedOptions options = new DistributedOptions("spark", null, 2, Sync.GRADIENTS, 1);
    Dataset data = head(296);
    Layer whole = SparkTests.mlp();
    new Trainer(SparkTests.config("adam", adam, options).epochs(2).build()).fit(whole, data, validation);

    Layer first = SparkTests.mlp();
    new Trainer(SparkTests.config("adam", adam, options).epochs(1).checkpointDir(dir).build())
        .fit(first, data, validation);
    assertTrue(CheckpointStore.exists(dir.resolve(Trainer.LAST)), "the driver wrote its checkpoint");
    Layer resumed = SparkTests.mlp();
    TrainingResult result = new Trainer(SparkTests.config("adam", adam, options).epochs(2)
        .resumeFrom(dir.resolve(Trainer.LAST)).build()).fit(resumed, data, validation);

    // Two workers' gradients sum the same in either order, so the runs agree exactly.
    assertEquals(0.0, SparkTests.maxDifference(SparkTests.weights(whole), SparkTests.weights(resumed)));
    assertEquals(2, result.history().epochs());
  }

  @Test
  void parameterAveragingReachesTheOneProcessAccuracy() {
    Map<String, Object> adam = Map.of("lr", 4e-3);
    Layer alone = SparkTests.mlp();
    fit(alone, "adam", adam, null, 5);
    Layer averaged = SparkTests.mlp();
    // 36 batches an epoch: 6 rounds of 6 local steps on each worker.
    TrainingResult result = fit(averaged, "adam", adam, new DistributedOptions("spark", null, 2, Sync.AVERAGE, 6), 5);

    double oneAccuracy = accuracy(alone);
    double averagedAccuracy = accuracy(averaged);
    assertTrue(oneAccuracy > 0.93, "one process reaches " + oneAccuracy);
    assertEquals(oneAccuracy, averagedAccuracy, 0.03, "test accuracy of one process and of averaging every 6 steps");
    // Averaging is not gradient sync: the weights went their own way.
    assertNotEquals(0.0, SparkTests.maxDifference(SparkTests.weights(alone), SparkTests.weights(averaged)));
    assertEquals(5, result.history().epochs());
  }

  private static double accuracy(Layer model) {
    Map<String, Double> metrics = Evaluation.evaluate(model, test,
        SparkTests.config("sgd", Map.of(), null).build().objective(), List.of(new dev.regimen.core.metrics.Accuracy()),
        64);
    return metrics.get("accuracy");
  }

}
