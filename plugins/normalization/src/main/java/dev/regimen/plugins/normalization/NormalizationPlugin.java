package dev.regimen.plugins.normalization;

import org.pf4j.Plugin;

/**
 * The normalization plugin. It has no state: its components are the {@code @Extension} factories of
 * this package, which PF4J finds through the index its annotation processor writes; {@link
 * PreciseBatchNorm} is a utility that scripts and Java callers use directly.
 */
public final class NormalizationPlugin extends Plugin {
  public NormalizationPlugin() {
    super();
  }
}
