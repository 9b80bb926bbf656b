package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import dev.regimen.api.train.TrainingControl;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import dev.regimen.core.optim.Sgd;
import dev.regimen.core.train.Trainer;
import dev.regimen.core.train.TrainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code max_norm} (Srivastava et al. 2014): after every step each unit's incoming weights have norm
 * at most c, units inside the ball are untouched, and the constraint acts on the axis the layout
 * puts the units on.
 */
class MaxNormTest {

  private static Regularizer maxNorm(double c) {
    return Regularizers.create("max_norm", "max_value", c);
  }

  @Test
  void projectsEachDenseColumnOntoTheBallAndLeavesTheOthersExactly() {
    // A dense weight [in = 2, out = 3]: unit j's incoming weights are column j. Norms 5, 0.5 and 0.
    Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[][] {{3, 0.3, 0}, {4, -0.4, 0}}));
    maxNorm(2).afterStep(List.of(new Parameter("d.weight", w, true, 1)), new Regularizers.Ctx(0, 0.1));
    assertArrayEquals(new double[] {1.2, 0.3, 0, 1.6, -0.4, 0}, Regularizers.values(w.array()), 1e-12);
  }

  @Test
  void projectsEachConvolutionFilterOverItsChannelsAndKernel() {
    // A convolution weight [outC = 2, inC = 1, 2, 2]: filter 0 has norm 4, filter 1 norm 1.
    Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[] {2, 2, 2, 2, 0.5, 0.5, 0.5, 0.5}).reshape(2, 1, 2, 2));
    maxNorm(1).afterStep(List.of(new Parameter("c.weight", w, true, 0)), new Regularizers.Ctx(0, 0.1));
    assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, Regularizers.values(w.array()), 1e-12);
  }

  @Test
  void theModelTellsWhichAxisHoldsTheUnits() {
    Layer model = Sequential.of(LayerFactories.create("conv2d", Map.of("filters", 2, "kernel_size", 3)),
        LayerFactories.create("flatten"), LayerFactories.create("dense", Map.of("units", 4)));
    Layers.build(model, new long[] {1, 5, 5}, new Rng(1));
    Map<String, Integer> axes = new java.util.LinkedHashMap<>();
    Layers.parameters(model).forEach(p -> axes.put(p.name(), p.unitAxis()));
    assertEquals(Map.of("conv2d_1.weight", 0, "conv2d_1.bias", 0, "dense_1.weight", 1, "dense_1.bias", 0), axes);
  }

  /** Records the largest unit norm of every weight after each step. */
  private static final class LargestNorm implements Scheduler {
    double largest;

    @Override
    public void onBatchEnd(TrainingControl control) {
      for (Parameter p : Layers.parameters(control.model())) {
        if (p.weight()) {
          INDArray w = p.value().array();
          double norm = w.norm2(p.unitAxis() == 0 ? 1 : 0).maxNumber().doubleValue();
          largest = Math.max(largest, norm);
        }
      }
    }
  }

  /** The largest unit norm seen after any step of training an MLP on the digits with a large learning rate. */
  private static double largestNormAfterAnyStep(Regularizer... regularizers) {
    Dataset digits = EmbeddedData.digits();
    Layer model = Sequential.of(LayerFactories.create("dense", Map.of("units", 32)), LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
    LargestNorm probe = new LargestNorm();
    TrainerConfig.Builder config = TrainerConfig.builder().objective(new SoftmaxCrossEntropy()).optimizer(new Sgd(0.5))
        .epochs(2).batchSize(64).seed(1).progress(false).scheduler(probe);
    for (Regularizer r : regularizers) {
      config.regularizer(r);
    }
    new Trainer(config.build()).fit(model, digits.withFeatures(digits.features().array().div(16.0)), null);
    return probe.largest;
  }

  @Test
  void everyUnitsNormStaysWithinCAfterEveryTrainingStep() {
    double c = 1.0;
    double free = largestNormAfterAnyStep();
    assertTrue(free > 1.5 * c, "without the constraint some unit grows past c: " + free);
    double constrained = largestNormAfterAnyStep(maxNorm(c));
    assertTrue(constrained <= c * (1 + 1e-6), "largest unit norm " + constrained + " > c = " + c);
    assertTrue(constrained > 0.9 * c, "the constraint was active, so some unit sits at the boundary: " + constrained);
  }
}
