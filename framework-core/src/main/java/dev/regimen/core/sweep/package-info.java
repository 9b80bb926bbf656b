/**
 * Sweeps: one script run over a grid of parameters and several seeds, and what the runs show, with
 * intervals. {@code regimen sweep} runs each grid point and seed as a run of its own and writes a sweep
 * folder; {@code regimen compare} puts run and sweep folders side by side; {@code rg.sweep} does the
 * same inside one script.
 *
 * <p>The parts: {@link dev.regimen.core.sweep.Grid} and {@link dev.regimen.core.sweep.Seeds} parse the
 * options; {@link dev.regimen.core.sweep.Statistics} holds the mean, standard deviation and Student t
 * intervals.
 */
package dev.regimen.core.sweep;
