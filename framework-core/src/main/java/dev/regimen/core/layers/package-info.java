/**
 * The built-in layers (dense, conv2d, pooling, flatten, reshape, activations) and containers
 * (sequential, residual), each made by name through its factory; {@link
 * dev.regimen.core.layers.LayerFactories} lists them and rebuilds a layer tree from its config.
 */
package dev.regimen.core.layers;
