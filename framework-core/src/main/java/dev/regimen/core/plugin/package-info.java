/**
 * The plugin host: PF4J over the {@code plugins/} folder plus the built-in components, merged into
 * one {@link dev.regimen.core.registry.ComponentRegistry}, with plain-data listings of what loaded.
 *
 * <p>Robustness is the point of this package. A plugins folder is user territory: jars from other
 * people, an old version left beside a new one, a download cut short. PF4J's {@code loadPlugins()}
 * aborts or skips on the first missing dependency and tells only its log, so
 * {@link dev.regimen.core.plugin.PluginHost} does the checking itself, in this order, and turns each
 * problem into a {@link dev.regimen.core.plugin.PluginFailure} that names the file and the reason
 * while every other plugin still loads:
 *
 * <ol>
 *   <li>each {@code .jar} and {@code .zip} must open as an archive (zips are unpacked into a private
 *       temporary folder, never beside the zip), have a {@code Plugin-Id}, a semantic
 *       {@code Plugin-Version}, and a {@code Plugin-Requires} that this framework version meets;
 *   <li>a plugin id used by two files rejects both;
 *   <li>plugins are ordered so that dependencies come first; a plugin whose dependency is not
 *       installed, has the wrong version, failed itself, or closes a cycle is rejected;
 *   <li>PF4J loads and starts them one at a time; a {@code Plugin-Class} that is missing, is not a
 *       {@code Plugin}, or throws is reported, and the plugin is unloaded;
 *   <li>each {@code @Extension} class in a plugin's {@code META-INF/extensions.idx} is loaded and made
 *       by the host, so that a missing class or a throwing constructor costs that component only;
 *   <li>a component name that a built-in has, or that two plugins contribute, is not registered for
 *       any plugin, so that what a script gets never depends on file names.
 * </ol>
 *
 * <p>{@link dev.regimen.core.plugin.PluginListing} renders plugins and components as text tables for
 * {@code regimen plugins} and {@code regimen components [KIND]}.
 */
package dev.regimen.core.plugin;
