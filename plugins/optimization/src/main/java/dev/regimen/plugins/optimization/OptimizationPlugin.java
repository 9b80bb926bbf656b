package dev.regimen.plugins.optimization;

import org.pf4j.Plugin;

/** The optimization plugin. It has no state: its components are the {@code @Extension} factories of this package. */
public final class OptimizationPlugin extends Plugin {
  public OptimizationPlugin() {
    super();
  }
}
