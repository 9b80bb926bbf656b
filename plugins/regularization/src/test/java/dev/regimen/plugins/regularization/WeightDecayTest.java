package dev.regimen.plugins.regularization;

import static dev.regimen.plugins.regularization.Regularizers.create;
import static dev.regimen.plugins.regularization.Regularizers.fit;
import static dev.regimen.plugins.regularization.Regularizers.relativeDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.optim.Adam;
import dev.regimen.core.optim.AdamW;
import dev.regimen.core.optim.Sgd;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decoupled {@code weight_decay} against the {@code l2} penalty: the same step with plain SGD, a
 * different one with Adam (Loshchilov &amp; Hutter 2019), and the built-in AdamW reproduced.
 */
class WeightDecayTest {
  private static final Dataset DATA = Synthetic.linearRegression(64, new double[] {2, -3, 1.5, 0}, 0.5, new Rng(5));

  /** The weights and bias of a linear model after training it from the same start. */
  private static List<INDArray> train(Supplier<Optimizer> optimizer, int epochs, int batchSize, Regularizer... r) {
    Layer model = Regularizers.built(Regularizers.linear(true), DATA, 4);
    fit(model, DATA, optimizer.get(), epochs, batchSize, List.of(r));
    return List.of(Regularizers.value(model, "dense_1.weight"), Regularizers.value(model, "dense_1.bias"));
  }

  @Test
  void decayShrinksTheWeightsByOneMinusLearningRateTimesLambdaAndLeavesBiases() {
    Tensor w = Tensor.parameter(Nd4j.createFromArray(new double[] {1, -2}));
    Tensor b = Tensor.parameter(Nd4j.createFromArray(new double[] {3}));
    create("weight_decay", "lambda", 0.5).beforeStep(List.of(new Parameter("d.weight", w, true),
        new Parameter("d.bias", b, false)), new Regularizers.Ctx(0, 0.1));
    assertArrayEquals(new double[] {0.95, -1.9}, Regularizers.values(w.array()), 1e-15);
    assertArrayEquals(new double[] {3}, Regularizers.values(b.array()), 0);
  }

  @Test
  void withPlainSgdOneStepOfWeightDecayEqualsOneStepOfL2() {
    double lr = 0.1;
    double lambda = 0.05;
    INDArray start = Regularizers.value(Regularizers.built(Regularizers.linear(true), DATA, 4), "dense_1.weight");
    List<INDArray> plain = train(() -> new Sgd(lr), 1, DATA.size());
    List<INDArray> l2 = train(() -> new Sgd(lr), 1, DATA.size(), create("l2", "lambda", lambda));
    List<INDArray> decay = train(() -> new Sgd(lr), 1, DATA.size(), create("weight_decay", "lambda", lambda));
    // w - lr (g + lambda w), with g the gradient at the starting w; the bias is not decayed by either.
    INDArray expected = plain.get(0).sub(start.mul(lr * lambda));
    assertTrue(relativeDifference(l2.get(0), expected) < 1e-6, l2.get(0) + " vs " + expected);
    assertTrue(relativeDifference(decay.get(0), l2.get(0)) < 1e-6, decay.get(0) + " vs " + l2.get(0));
    assertTrue(relativeDifference(decay.get(1), plain.get(1)) < 1e-6, decay.get(1) + " vs " + plain.get(1));
    assertTrue(relativeDifference(decay.get(0), plain.get(0)) > 1e-3, "the decay did something");
  }

  @Test
  void withAdamWeightDecayAndL2TakeClearlyDifferentSteps() {
    // Adam divides the L2 gradient lambda * w by the gradient's running scale; the decoupled decay
    // is not divided. Over a few steps the two runs part by far more than rounding.
    List<INDArray> l2 = train(() -> new Adam(0.05), 2, 16, create("l2", "lambda", 0.5));
    List<INDArray> decay = train(() -> new Adam(0.05), 2, 16, create("weight_decay", "lambda", 0.5));
    double apart = relativeDifference(decay.get(0), l2.get(0));
    assertTrue(apart > 1e-2, "Adam with l2 " + l2.get(0) + " vs with weight_decay " + decay.get(0));
  }

  @Test
  void adamWithWeightDecayIsTheBuiltInAdamW() {
    List<INDArray> plugin = train(() -> new Adam(0.05), 3, 16, create("weight_decay", "lambda", 0.2));
    List<INDArray> builtIn = train(() -> new AdamW(0.05, 0.2), 3, 16);
    assertTrue(relativeDifference(plugin.get(0), builtIn.get(0)) < 1e-6, plugin.get(0) + " vs " + builtIn.get(0));
    assertTrue(relativeDifference(plugin.get(1), builtIn.get(1)) < 1e-6, plugin.get(1) + " vs " + builtIn.get(1));
  }
}
