package dev.regimen.api.nn;

import dev.regimen.api.tensor.Tensor;

/**
 * A trainable tensor with its model-wide name ({@code dense_1.weight}).
 *
 * @param weight whether penalties and decay apply by default: true for the weights of dense and
 *     convolution layers, false for biases and normalization scales and shifts
 */
public record Parameter(String name, Tensor value, boolean weight) {}
