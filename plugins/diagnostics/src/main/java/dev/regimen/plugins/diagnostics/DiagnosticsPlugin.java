package dev.regimen.plugins.diagnostics;

import org.pf4j.Plugin;

/**
 * The diagnostics plugin. It has no state: its components are the {@code @Extension} factories of
 * this package ({@code variance_shift}, {@code activation_stats}, {@code weight_stats}), which PF4J
 * finds through the index its annotation processor writes.
 */
public final class DiagnosticsPlugin extends Plugin {
  public DiagnosticsPlugin() {
    super();
  }
}
