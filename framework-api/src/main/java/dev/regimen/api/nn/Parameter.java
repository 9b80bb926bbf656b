package dev.regimen.api.nn;

import dev.regimen.api.tensor.Tensor;

/**
 * A trainable tensor with its model-wide name ({@code dense_1.weight}).
 *
 * @param weight whether penalties and decay apply by default: true for the weights of dense and
 *     convolution layers, false for biases and normalization scales and shifts
 * @param unitAxis the axis of {@code value} that indexes the layer's output units, so that the
 *     weights feeding unit j are the slice j along it: 0 in PyTorch's layouts (convolution weights
 *     [outC, inC, kH, kW], biases [units]), the last axis for the {@code weight} of an {@link
 *     dev.regimen.api.export.InputMajorWeight} layer (dense [in, out]). Constraints on each unit's
 *     incoming weights (max-norm, Srivastava et al. 2014) need it, because the two layouts put the
 *     units on different axes.
 */
public record Parameter(String name, Tensor value, boolean weight, int unitAxis) {

  /** A parameter whose output units are along axis 0 (PyTorch's layouts). */
  public Parameter(String name, Tensor value, boolean weight) {
    this(name, value, weight, 0);
  }

  public Parameter {
    if (unitAxis < 0 || unitAxis >= Math.max(1, value.rank())) {
      throw new IllegalArgumentException("Parameter " + name + ": unit axis " + unitAxis + " is not an axis of its "
          + value.rank() + "-d value");
    }
  }
}
