package dev.regimen.plugins.distillation;

import org.pf4j.Plugin;

/**
 * The distillation plugin. It has no state: its components are the {@code @Extension} factories of
 * this package ({@code distillation}, {@code fitnets}), which PF4J finds through the index its
 * annotation processor writes.
 */
public final class DistillationPlugin extends Plugin {
  public DistillationPlugin() {
    super();
  }
}
