package dev.regimen.plugins.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Synthetic;
import dev.regimen.core.layers.LayerFactories;
import dev.regimen.core.layers.Sequential;
import dev.regimen.core.optim.Sgd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen layer is never regularized: no penalty gradient, no decay, no noise left behind (DL4J's
 * issue #4250 applied L2 to frozen layers). Biases included, and strong settings, so that any leak
 * would show.
 */
class FrozenLayersTest {
  private static final Dataset DATA = Synthetic.linearRegression(60, new double[] {1, -1, 2}, 0.1, new Rng(6));

  @ParameterizedTest
  @ValueSource(strings = {"l1", "l2", "weight_decay", "weight_noise"})
  void frozenWeightsAndBiasesStayBitForBitUnchanged(String name) {
    String option = name.equals("weight_noise") ? "sigma" : "lambda";
    Layer model = Sequential.of(LayerFactories.create("dense", Map.of("units", 4)), LayerFactories.create("tanh"),
        LayerFactories.create("dense", Map.of("units", 1)));
    Regularizers.built(model, DATA, 2);
    INDArray weight = Regularizers.value(model, "dense_1.weight");
    INDArray bias = Regularizers.value(model, "dense_1.bias");
    INDArray head = Regularizers.value(model, "dense_2.weight");
    Regularizers.fit(model, DATA, new Sgd(0.05), 2, 20,
        List.of(Regularizers.create(name, Map.of(option, 0.5, "include_biases", true))), "dense_1");
    assertArrayEquals(Regularizers.values(weight), Regularizers.values(Regularizers.value(model, "dense_1.weight")), 0);
    assertArrayEquals(Regularizers.values(bias), Regularizers.values(Regularizers.value(model, "dense_1.bias")), 0);
    assertTrue(Regularizers.relativeDifference(Regularizers.value(model, "dense_2.weight"), head) > 1e-3,
        "the layer that is not frozen trained");
  }
}
