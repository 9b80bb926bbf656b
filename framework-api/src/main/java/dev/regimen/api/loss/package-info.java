/**
 * The shared loss functions ({@link dev.regimen.api.loss.Losses}) and the two forms of class targets
 * ({@link dev.regimen.api.loss.ClassTargets}), in the API so that the core's objectives, metrics and
 * augmenters and every plugin use one implementation without depending on framework-core.
 */
package dev.regimen.api.loss;
