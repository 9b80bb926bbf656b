package dev.regimen.plugins.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Metric;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Evaluation;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import dev.regimen.testkit.FakeAugmenterContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Augmenters change training batches only: the trainer calls them before the forward pass of a
 * training step, and never for validation, evaluation or prediction.
 */
class TrainingOnlyTest {
  private static final int BATCH = 50;
  private static Dataset train;
  private static Dataset validation;

  /** The embedded digits as [N, 1, 8, 8] images in [0, 1]: 1000 for training, the rest for validation. */
  @BeforeAll
  static void digits() {
    Dataset all = EmbeddedData.digits();
    Dataset images = all.withFeatures(all.features().array().div(16.0)).reshape(1, 8, 8);
    Dataset.Split split = images.split(0.3, new Rng(1));
    train = split.train();
    validation = split.validation();
  }

  private static Layer model() {
    return Sequential.of(
        LayerFactories.create("flatten"),
        LayerFactories.create("dense", Map.of("units", 32)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
  }

  private static TrainerConfig.Builder config(int epochs) {
    return TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(1e-2))
        .metric(new Accuracy())
        .epochs(epochs)
        .batchSize(BATCH)
        .seed(3)
        .progress(false);
  }

  /** Wraps an augmenter and counts the batches and samples it is given. */
  private static final class Counting implements Augmenter {
    private final Augmenter inner;
    private int batches;
    private long samples;

    Counting(Augmenter inner) {
      this.inner = inner;
    }

    @Override
    public Batch apply(Batch batch, Context ctx) {
      batches++;
      samples += batch.size();
      return inner.apply(batch, ctx);
    }
  }

  @Test
  void validationAndEvaluationNeverSeeTheAugmenterAndDoNotDependOnIt() {
    Augmenter noise = Components.create("gaussian_noise", Map.of("sigma", 0.5));
    Counting counting = new Counting(noise);
    Layer model = model();
    TrainingResult result = new Trainer(config(2).augmenter(counting).build()).fit(model, train, validation);

    int batchesPerEpoch = (train.size() + BATCH - 1) / BATCH;
    assertEquals(2 * batchesPerEpoch, counting.batches, "called once per training batch, never for validation");
    assertEquals(2L * train.size(), counting.samples);

    // The validation loss the trainer recorded is that of the clean validation set: evaluating the
    // trained model again, without any augmenter, gives the same number.
    List<Metric> metrics = List.of(new Accuracy());
    Map<String, Double> clean = Evaluation.evaluate(model, validation, new SoftmaxCrossEntropy(), metrics, BATCH);
    assertEquals(result.history().last("val_loss").getAsDouble(), clean.get("loss"), 1e-12);
    assertEquals(result.history().last("val_accuracy").getAsDouble(), clean.get("accuracy"), 1e-12);

    // Predictions repeat exactly, and differ from what the noisy augmenter would have fed the model.
    INDArray x = validation.features().array();
    INDArray predicted = Evaluation.predict(model, x, BATCH);
    assertEquals(predicted, Evaluation.predict(model, x, BATCH));
    INDArray noisy = noise.apply(new Batch(validation.features(), validation.targets()), FakeAugmenterContext.seeded(1, 10))
        .inputs().array();
    assertNotEquals(predicted, Evaluation.predict(model, noisy, BATCH));
  }

  @Test
  void aModelTrainedThroughEveryImageAndLabelAugmenterStillLearnsTheDigits() {
    // No flip: a mirrored digit is another digit or none.
    TrainerConfig.Builder builder = config(6);
    builder.augmenter(Components.create("random_crop", Map.of("padding", 1)));
    builder.augmenter(Components.create("affine", Map.of("degrees", 10, "translate", 0.05)));
    builder.augmenter(Components.create("color_jitter", Map.of("brightness", 0.2, "contrast", 0.2)));
    builder.augmenter(Components.create("gaussian_noise", Map.of("sigma", 0.05)));
    builder.augmenter(Components.create("label_smoothing", Map.of("epsilon", 0.1)));
    builder.augmenter(Components.create("mixup", Map.of("alpha", 0.2)));
    TrainingResult result = new Trainer(builder.build()).fit(model(), train, validation);
    // Soft, mixed targets and transformed images flow through the trainer and the loss; on 8x8 digits
    // these augmentations are strong, so six epochs reach about 0.78, far above chance (0.1).
    double accuracy = result.history().last("val_accuracy").getAsDouble();
    assertTrue(accuracy > 0.6, "validation accuracy " + accuracy);
  }
}
