package dev.regimen.api.nn;

import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A module of a network, with Keras' fixed contract: hyper-parameters in the constructor, parameters
 * created by {@link #build} once the input shape is known, {@code forward(input, ctx)}, shape
 * inference without computing, and a config that rebuilds it.
 *
 * <p>Shapes given to {@link #outputShape} and {@link #build} are per sample, without the batch
 * dimension: {@code [features]} for dense input, {@code [C, H, W]} for images.
 *
 * <p>Names: a layer's {@link #name()} is unique within its model ({@code dense_1}); its parameters
 * and buffers have local names ({@code weight}, {@code running_mean}) which the model prefixes with
 * the layer name. Trainable parameters and non-trainable buffers are kept apart; both are saved in
 * checkpoints.
 */
public interface Layer {

  /** The component name that made it, e.g. {@code dense}. */
  String type();

  /** The instance name, unique within a model; {@code null} until assigned. */
  String name();

  /** Sets the instance name; models call this once for layers that were not named by the user. */
  void assignName(String name);

  /** The per-sample output shape for a per-sample input shape, or a {@code ShapeException} naming both. */
  long[] outputShape(long[] inputShape);

  /** Creates the parameters for this per-sample input shape; calling it again with the same shape does nothing. */
  void build(long[] inputShape, Rng rng);

  /** Whether {@link #build} has run. */
  boolean isBuilt();

  /** Computes the output for a batch. */
  Tensor forward(Tensor input, ForwardContext ctx);

  /** Trainable tensors by local name, in a stable order. */
  Map<String, Tensor> parameters();

  /** Non-trainable state (running statistics) by local name, in a stable order. */
  default Map<String, Tensor> buffers() {
    return Map.of();
  }

  /** Whether the parameter with this local name is a weight (penalized and decayed by default). */
  default boolean isWeight(String localName) {
    return localName.equals("weight");
  }

  /** Nested layers (for containers such as {@code sequential}); empty for leaves. */
  default List<Layer> children() {
    return List.of();
  }

  /** The options that rebuild this layer through its factory, and the children's configs. */
  LayerConfig config();
}
