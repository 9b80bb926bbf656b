/**
 * The built-in losses (mean squared and absolute error, Huber, softmax and binary cross-entropy), both
 * as {@link dev.regimen.api.train.Objective}s made by name and as plain functions in {@link
 * dev.regimen.core.losses.Losses}.
 */
package dev.regimen.core.losses;
