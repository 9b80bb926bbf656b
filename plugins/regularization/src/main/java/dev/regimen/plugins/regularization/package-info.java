/**
 * The regularization plugin: penalties added to the loss ({@code l1}, {@code l2}), decoupled weight
 * decay around the optimizer step ({@code weight_decay}) and Gaussian noise on the weights for the
 * training passes ({@code weight_noise}), and the max-norm constraint on each unit's incoming weights
 * after the step ({@code max_norm}). Every component acts on weights only (dense and
 * convolution kernels), not on biases or normalization parameters, unless {@code include_biases} is
 * set, and on every layer unless {@code layers} names some; frozen parameters never reach a
 * regularizer.
 */
package dev.regimen.plugins.regularization;
