package dev.regimen.plugins.regularization;

import org.pf4j.Plugin;

/** The regularization plugin. It has no state: its components are the {@code @Extension} factories of this package. */
public final class RegularizationPlugin extends Plugin {
  public RegularizationPlugin() {
    super();
  }
}
