/**
 * The dropout family as a PF4J plugin: inverted dropout ({@code dropout}), the classic form of
 * Srivastava et al. that scales by the keep probability at inference ({@code dropout.scaled}),
 * Gaussian dropout ({@code dropout.gaussian}), Uout ({@code dropout.uout}), spatial dropout
 * ({@code dropout.spatial}), DropConnect ({@code dropconnect}), alpha dropout for SELU networks
 * ({@code dropout.alpha}) and drop path, the per-sample stochastic depth of residual branches
 * ({@code drop_path}).
 *
 * <p>Every option named {@code rate} is the probability of <em>dropping</em> a unit, as in Keras and
 * PyTorch, not DL4J's probability of keeping it. Every layer here is {@link
 * dev.regimen.api.nn.Stochastic}: it draws noise if and only if {@link
 * dev.regimen.api.nn.ForwardContext#sampling()}, from a stream forked from the context's random
 * stream by the layer's name, so that a seeded pass repeats and a layer's noise does not depend on
 * the other layers. Masks are whole arrays, constants of the graph: gradients flow through the
 * kept units only.
 *
 * <p>Monte Carlo dropout (Gal and Ghahramani 2016) needs nothing more: a pass with {@link
 * dev.regimen.api.nn.ForwardContext#sampling(dev.regimen.api.tensor.Rng)} keeps these layers sampling
 * while the rest of the model is in evaluation mode; the core's {@code Evaluation.predictMonteCarlo}
 * averages such passes into a predictive mean and variance.
 */
package dev.regimen.plugins.dropout;
