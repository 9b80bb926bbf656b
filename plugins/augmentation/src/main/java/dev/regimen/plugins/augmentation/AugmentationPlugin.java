package dev.regimen.plugins.augmentation;

import org.pf4j.Plugin;

/**
 * The augmentation plugin. It has no state: its components are the {@code @Extension} factories of
 * this package, which PF4J finds through the index its annotation processor writes.
 */
public final class AugmentationPlugin extends Plugin {
  public AugmentationPlugin() {
    super();
  }
}
