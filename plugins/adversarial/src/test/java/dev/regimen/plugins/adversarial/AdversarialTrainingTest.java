package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.train.Augmenter;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.metrics.Accuracy;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The point of the plugin, measured: on the embedded digits with pixels scaled to [0, 1], FGSM
 * training at eps = 0.1 (about 25 grey levels of 255) makes a small MLP clearly more accurate under an
 * FGSM attack of the same size than plain training with the same seed, epochs and batches.
 *
 * <p>Measured when written (validation accuracy, clean / under attack), plain against fgsm: seed 1
 * 0.958 / 0.543 against 0.961 / 0.749; seed 2 0.953 / 0.529 against 0.942 / 0.774; seed 3 0.961 /
 * 0.521 against 0.953 / 0.766: a mean gain of 0.23, with the clean accuracy within 0.01.
 */
class AdversarialTrainingTest {
  private static final long[] SEEDS = {1, 2, 3};
  private static final int EPOCHS = 12;
  private static final Map<String, Object> ATTACK = Map.of("eps", 0.1, "clip_min", 0.0, "clip_max", 1.0);

  @Test
  void fgsmTrainingRaisesRobustAccuracyOverPlainTraining() {
    Dataset.Split data = Components.digits01();
    double gainSum = 0;
    double minGain = Double.POSITIVE_INFINITY;
    StringBuilder report = new StringBuilder();
    for (long seed : SEEDS) {
      double[] plain = train(data, seed, null);
      double[] adversarial = train(data, seed, Components.fgsm(ATTACK));
      double gain = adversarial[1] - plain[1];
      gainSum += gain;
      minGain = Math.min(minGain, gain);
      report.append(String.format(java.util.Locale.ROOT,
          "seed %d: plain clean %.3f robust %.3f; fgsm clean %.3f robust %.3f%n",
          seed, plain[0], plain[1], adversarial[0], adversarial[1]));
    }
    System.out.print(report);
    double meanGain = gainSum / SEEDS.length;
    assertTrue(meanGain > 0.1, "mean robust-accuracy gain " + meanGain + "\n" + report);
    assertTrue(minGain > 0.05, "every seed gains: the smallest gain is " + minGain + "\n" + report);
  }

  /** Clean and robust validation accuracy after training, {val_accuracy, val_robust_accuracy}. */
  private static double[] train(Dataset.Split data, long seed, Augmenter augmenter) {
    TrainerConfig.Builder config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Adam(3e-3))
        .metric(new Accuracy())
        .scheduler(Components.robustAccuracy(ATTACK))
        .epochs(EPOCHS)
        .batchSize(32)
        .seed(seed)
        .progress(false);
    if (augmenter != null) {
      config.augmenter(augmenter);
    }
    TrainingResult result = new Trainer(config.build()).fit(Components.reluMlp(64), data.train(), data.validation());
    return new double[] {result.history().last("val_accuracy").orElseThrow(),
        result.history().last("val_robust_accuracy").orElseThrow()};
  }
}
