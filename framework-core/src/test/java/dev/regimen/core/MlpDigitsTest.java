package dev.regimen.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Batch;
import dev.regimen.api.train.Optimizer;
import dev.regimen.core.data.BatchIterator;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.EmbeddedData;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.losses.Losses;
import dev.regimen.core.optim.Adam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The foundation's end-to-end check: an MLP made of the built-in layers, loss and optimizer, trained
 * by a plain loop (no trainer) on the embedded digits, reaches 95% test accuracy with a fixed seed.
 */
class MlpDigitsTest {

  @Test
  void aPlainLoopTrainsTheDigitsMlpToNinetyFivePercent() {
    Rng rng = new Rng(7);
    Dataset digits = EmbeddedData.digits();
    Dataset.Split split = digits.split(0.25, rng.fork("split"));
    Dataset train = scaled(split.train());
    Dataset test = scaled(split.validation());

    Layer model = Sequential.of(
        LayerFactories.create("dense", Map.of("units", 128)),
        LayerFactories.create("relu"),
        LayerFactories.create("dense", Map.of("units", 10)));
    Layers.build(model, train.sampleShape(), rng.fork("init"));
    List<Parameter> parameters = Layers.parameters(model);
    Optimizer optimizer = new Adam(1e-3);

    for (int epoch = 0; epoch < 15; epoch++) {
      BatchIterator batches = train.batches(32, rng.fork("shuffle").fork(epoch));
      while (batches.hasNext()) {
        Batch batch = batches.next();
        Tensor logits = model.forward(batch.inputs(), ForwardContext.training(rng.fork(epoch)));
        Tensor loss = Losses.softmaxCrossEntropy(logits, batch.targets());
        parameters.forEach(p -> p.value().zeroGrad());
        loss.backward();
        optimizer.step(parameters);
      }
    }

    double accuracy = accuracy(model, test);
    assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
  }

  private static Dataset scaled(Dataset d) {
    return Dataset.classification(d.features().array().div(16.0), d.targets().array(), d.numClasses());
  }

  private static double accuracy(Layer model, Dataset test) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      INDArray logits = model.forward(test.features(), ForwardContext.evaluation()).array();
      INDArray predicted = logits.argMax(1).castTo(test.targets().dataType());
      return predicted.eq(test.targets().array()).castTo(test.targets().dataType()).meanNumber().doubleValue();
    }
  }
}
