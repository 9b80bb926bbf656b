/**
 * The built-in losses (mean squared and absolute error, Huber, softmax and binary cross-entropy) as
 * {@link dev.regimen.api.train.Objective}s made by name. The functions they compute are in the API,
 * {@link dev.regimen.api.loss.Losses}, shared with plugins; {@link dev.regimen.core.losses.Losses}
 * forwards to them for existing callers.
 */
package dev.regimen.core.losses;
