package dev.regimen.api.nn;

/**
 * Marks a layer whose output is random while {@link ForwardContext#sampling()} is true: the dropout
 * family, weight noise. Diagnostics use it to find layers that shift variance between training and
 * evaluation (Li et al. 2019), and Monte Carlo prediction relies on it.
 */
public interface Stochastic extends Layer {}
