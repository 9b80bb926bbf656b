/**
 * The differentiable {@link dev.regimen.api.tensor.Tensor} over ND4J, its seeded random source
 * {@link dev.regimen.api.tensor.Rng}, and the finite-difference {@link dev.regimen.api.tensor.GradientCheck}.
 */
package dev.regimen.api.tensor;
