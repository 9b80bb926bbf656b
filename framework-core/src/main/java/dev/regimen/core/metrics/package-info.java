/**
 * The built-in metrics (accuracy, top-k accuracy, mean squared and absolute error, R^2), accumulated
 * exactly over batches so that an epoch's value does not depend on how it was split.
 */
package dev.regimen.core.metrics;
