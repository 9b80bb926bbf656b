package dev.regimen.plugins.adversarial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Batch;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.losses.Losses;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import dev.regimen.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FGSM rests on the gradient of the loss with respect to the inputs: the one the trainer hands to
 * augmenters and schedulers must equal central differences of the loss, in float64, on a small smooth
 * model during a real training.
 */
class InputGradientTest {
  private static final double H = 1e-6;

  @Test
  @SuppressWarnings("try")
  void augmenterAndSchedulerInputGradientsEqualCentralDifferencesOfTheLoss() {
    List<double[]> errors = new ArrayList<>();
    try (Tensor.GradScope ignored = Tensor.defaultType(DataType.DOUBLE)) {
      Layer model = Components.tanhMlp(6, 3);
      Augmenter spy = (batch, ctx) -> {
        errors.add(compare(model, batch, ctx.inputGradient(batch)));
        return batch;
      };
      TrainerConfig config = TrainerConfig.builder()
          .objective(new SoftmaxCrossEntropy())
          .optimizer(new Sgd(0.5))
          .augmenter(spy)
          .scheduler(Components.atEpochEnd(control -> {
            for (Batch batch : control.validationBatches(8)) {
              errors.add(compare(model, batch, control.inputGradient(batch)));
            }
          }))
          .epochs(2).batchSize(8).seed(5).progress(false).build();
      new Trainer(config).fit(model, Components.gaussian(24, 5, 3, 1), Components.gaussian(16, 5, 3, 2));
    }
    assertEquals(2 * 3 + 2 * 2, errors.size(), "3 training batches and 2 validation batches per epoch, 2 epochs");
    for (double[] e : errors) {
      assertTrue(e[0] < 1e-7, "max |analytic - numeric| = " + e[0] + " (gradient scale " + e[1] + ")");
      assertTrue(e[1] > 1e-4, "the gradient is not trivially zero: " + e[1]);
    }
  }

  @Test
  void askingForTheInputGradientLeavesTrainingUnchanged() {
    Augmenter identity = (batch, ctx) -> batch;
    Augmenter asking = (batch, ctx) -> {
      ctx.inputGradient(batch);
      return batch;
    };
    Layer a = Components.tanhMlp(6, 3);
    Layer b = Components.tanhMlp(6, 3);
    TrainingResult first = train(a, identity);
    TrainingResult second = train(b, asking);
    assertEquals(first.history().series("loss"), second.history().series("loss"));
    List<INDArray> wa = dev.regimen.api.nn.Layers.parameters(a).stream().map(p -> p.value().array()).toList();
    List<INDArray> wb = dev.regimen.api.nn.Layers.parameters(b).stream().map(p -> p.value().array()).toList();
    for (int i = 0; i < wa.size(); i++) {
      assertArrayEquals(Components.values(wa.get(i)), Components.values(wb.get(i)), 0.0, "parameter " + i);
    }
  }

  private static TrainingResult train(Layer model, Augmenter augmenter) {
    TrainerConfig config = TrainerConfig.builder()
        .objective(new SoftmaxCrossEntropy())
        .optimizer(new Sgd(0.5, 0.9, false))
        .augmenter(augmenter)
        .epochs(3).batchSize(8).seed(5).progress(false).build();
    return new Trainer(config).fit(model, Components.gaussian(24, 5, 3, 1), null);
  }

  /** {max |g - numeric|, max |numeric|} over every input element of the batch. */
  private static double[] compare(Layer model, Batch batch, Tensor gradient) {
    INDArray x = batch.inputs().array();
    assertEquals(DataType.DOUBLE, gradient.dataType());
    assertArrayEquals(x.shape(), gradient.shape());
    double[] analytic = Components.values(gradient.array());
    INDArray flat = x.dup('c').reshape(x.length());
    double maxError = 0;
    double scale = 0;
    for (int i = 0; i < flat.length(); i++) {
      double original = flat.getDouble(i);
      flat.putScalar(i, original + H);
      double up = loss(model, flat.reshape(x.shape()), batch.targets());
      flat.putScalar(i, original - H);
      double down = loss(model, flat.reshape(x.shape()), batch.targets());
      flat.putScalar(i, original);
      double numeric = (up - down) / (2 * H);
      maxError = Math.max(maxError, Math.abs(analytic[i] - numeric));
      scale = Math.max(scale, Math.abs(numeric));
    }
    return new double[] {maxError, scale};
  }

  /** The batch loss in evaluation mode (the mean softmax cross-entropy). */
  @SuppressWarnings("try")
  private static double loss(Layer model, INDArray x, Tensor targets) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return Losses.softmaxCrossEntropy(model.forward(Tensor.of(x.dup()), ForwardContext.evaluation()), targets).item();
    }
  }
}
