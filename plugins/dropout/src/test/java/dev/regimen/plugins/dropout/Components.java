package dev.regimen.plugins.dropout;

import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plugin's factories by name, and small helpers shared by its tests. */
final class Components {
  private Components() {}

  /** Every factory of the plugin, in the order of the design's table. */
  static List<ComponentFactory<Layer>> factories() {
    return List.of(new Dropout.Factory(), new ScaledDropout.Factory(), new GaussianDropout.Factory(),
        new Uout.Factory(), new SpatialDropout.Factory(), new DropConnect.Factory(), new DropPath.Factory(),
        new AlphaDropout.Factory());
  }

  static ComponentFactory<Layer> factory(String name) {
    return factories().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no factory " + name));
  }

  static Layer create(String name, Map<String, ?> options) {
    return factory(name).create(options);
  }

  /** A float64 constant filled with one value. */
  static Tensor constant(double value, long... shape) {
    return Tensor.of(Nd4j.valueArrayOf(shape, value, DataType.DOUBLE));
  }

  /** One training pass without recording a graph. */
  @SuppressWarnings("try") // the scope is used for its effect, not referenced
  static Tensor train(Layer layer, Tensor x, long seed) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return layer.forward(x, ForwardContext.training(new Rng(seed)));
    }
  }

  /** The elements as float64, in row-major order. */
  static double[] values(Tensor t) {
    return values(t.array());
  }

  static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  /** Column j of a [rows, columns] array. */
  static double[] column(INDArray a, int j) {
    return values(a.getColumn(j));
  }
}
