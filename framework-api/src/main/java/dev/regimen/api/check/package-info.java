/**
 * The checks of a plugin's components that are written once and run in two places: by the host's
 * {@code regimen plugins --check JAR} and by the test kit's {@code PluginContract}. {@link
 * dev.regimen.api.check.ComponentCheck} checks one factory (documented, made with its options as its
 * kind's type, a layer's forward pass) and returns {@link dev.regimen.api.check.Finding}s.
 */
package dev.regimen.api.check;
