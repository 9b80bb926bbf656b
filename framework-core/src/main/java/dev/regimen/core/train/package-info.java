/** The training loop ({@link dev.regimen.core.train.Trainer}), evaluation and prediction. */
package dev.regimen.core.train;
