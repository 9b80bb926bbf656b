/**
 * The training SPIs that the trainer drives: objectives, regularizers, augmenters, schedulers,
 * optimizers and metrics, with the batch and history they share.
 */
package dev.regimen.api.train;
