/**
 * The regularization plugin: penalties added to the loss ({@code l1}, {@code l2}) and hooks around
 * the optimizer step ({@code weight_decay}) and the forward pass ({@code weight_noise}). Every
 * component acts on weights only (dense and convolution kernels), not on biases or normalization
 * parameters, unless {@code include_biases} is set; frozen parameters never reach a regularizer.
 */
package dev.regimen.plugins.regularization;
