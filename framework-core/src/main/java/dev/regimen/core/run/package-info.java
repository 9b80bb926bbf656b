/**
 * The run folder: what one {@code regimen run} leaves behind so that a result can be checked, compared
 * and shown later without running it again.
 *
 * <pre>
 * runs/quickstart-20261124-135750/
 *   run.log        everything logged to the console during the run ({@link dev.regimen.core.run.RunFolder})
 *   run.json       how it was started: script, --set values, seed, plugins ({@link dev.regimen.core.run.RunSettings})
 *   metrics.csv    epoch,loss,accuracy,val_loss,...: a row per epoch ({@link dev.regimen.core.run.RunRecorder})
 *   history.json   the same as columns ({@link dev.regimen.core.run.HistoryFiles})
 *   results.json   the final metrics of each training and evaluation, as data ({@link dev.regimen.core.run.RunResults})
 *   metrics-&lt;label&gt;.csv, history-&lt;label&gt;.json: further trainings of the same run
 *   events.out.tfevents.&lt;time&gt;.&lt;host&gt;  the same scalars and every batch's loss for TensorBoard
 *                  ({@link dev.regimen.core.run.EventFile}); a resumed run adds one
 *   checkpoints/   last/ and best/, written by the trainer
 *   plots/*.png    a chart per metric family, and diagnostics figures ({@link dev.regimen.core.run.Plots})
 *   report.html    one self-contained page: results, curves, configuration, plugins, script
 *                  ({@link dev.regimen.core.run.Report})
 * </pre>
 *
 * <p>A run's lifetime, as the CLI drives it:
 * <pre>{@code
 * try (RunFolder folder = RunFolder.create(out != null ? out : RunFolder.DEFAULT_PARENT, "quickstart.js")) {
 *   RunRecorder recorder = new RunRecorder(folder);
 *   // the script's trainers get .checkpointDir(folder.checkpoints()) and .scheduler(recorder)
 *   ...run the script...
 *   Report.builder(folder).script(source).setting("seed", seed).recorder(recorder).status("finished").write();
 * }
 * }</pre>
 *
 * <p>Metrics are written after every epoch and atomically, so a crashed or interrupted run keeps every
 * finished epoch; plots are drawn when a training ends (also when it stops or fails) and the report at
 * the end of the run.
 */
package dev.regimen.core.run;
