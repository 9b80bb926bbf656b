/**
 * What the host (the running framework) provides to plugins beyond the SPIs: {@link
 * dev.regimen.api.host.HostServices}, found at run time, trains a model with the host's trainer and
 * loads a model from a checkpoint folder, so that a plugin depends on framework-api alone.
 */
package dev.regimen.api.host;
