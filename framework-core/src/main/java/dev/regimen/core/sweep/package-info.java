/**
 * Sweeps: one script run over a grid of parameters and several seeds, and what the runs show, with
 * intervals. {@code regimen sweep} runs each grid point and seed as a run of its own and writes a sweep
 * folder; {@code regimen compare} puts run and sweep folders side by side
 * ({@link dev.regimen.core.sweep.Comparison}).
 *
 * <p>The parts: {@link dev.regimen.core.sweep.Grid} and {@link dev.regimen.core.sweep.Seeds} parse the
 * options into a {@link dev.regimen.core.sweep.SweepSpec}; {@link dev.regimen.core.sweep.SweepRunner}
 * starts the runs through a {@link dev.regimen.core.sweep.RunLauncher} (the CLI's starts child
 * processes, {@link dev.regimen.core.sweep.ChildProcess}; with {@code --spark} a
 * {@link dev.regimen.core.sweep.SweepCluster} that an add-on provides starts the same processes as its tasks), keeps {@code sweep.json} ({@link dev.regimen.core.sweep.SweepRecord}) current and reads
 * each run's end ({@link dev.regimen.core.sweep.RunOutcome}); {@link dev.regimen.core.sweep.SweepTables}
 * computes the summary and the paired differences with {@link dev.regimen.core.sweep.Statistics} (mean,
 * standard deviation, Student t intervals); {@link dev.regimen.core.sweep.SweepReport} writes the page.
 */
package dev.regimen.core.sweep;
