/**
 * The script host: JavaScript and Python scripts, run by GraalVM, that drive training through one
 * object, the Regimen API {@code rg}, and see nothing else of Java.
 *
 * <p>{@link dev.regimen.core.script.ScriptRunner} runs one script file with
 * {@link dev.regimen.core.script.RunOptions} (parameters from {@code --set}, the seed, the component
 * registry, the run folder, smoke mode) and returns a {@link dev.regimen.core.script.ScriptResult}
 * (every training with its history). {@link dev.regimen.core.script.ScriptHost} owns the GraalVM
 * engines that all runs share; each run gets a context of its own, closed when the run ends.
 *
 * <p>{@code rg.sweep} ({@link dev.regimen.core.script.ScriptSweep}) runs a function over a grid and
 * seeds inside one script and summarizes it as {@code regimen sweep} does ({@link dev.regimen.core.sweep}).
 *
 * <p>By default a script runs in GraalVM's {@code CONSTRAINED} sandbox: only the exported members
 * of the API are visible, there is no Java class lookup, no process or thread creation, no native
 * access, and files can be read only in the script's folder, the data folders and the run folder
 * (written only in the run folder). {@link dev.regimen.core.script.RunOptions#allowHostAccess()}
 * ({@code --allow-host-access}) lifts all of that for scripts the user trusts.
 *
 * <p>A failing script is reported as a {@link dev.regimen.core.script.ScriptException}: the
 * script's file, line and message, with Regimen's own message when Regimen refused something.
 */
package dev.regimen.core.script;
