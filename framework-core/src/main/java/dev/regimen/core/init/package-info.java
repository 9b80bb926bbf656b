/**
 * The built-in parameter initializers (He, Glorot, zeros, ones, constant), each an {@link
 * dev.regimen.api.nn.Initializer} made by name through its factory; {@link
 * dev.regimen.core.init.InitializerFactories} lists them.
 */
package dev.regimen.core.init;
