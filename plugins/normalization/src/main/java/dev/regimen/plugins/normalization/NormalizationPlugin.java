package dev.regimen.plugins.normalization;

import org.pf4j.Plugin;

/**
 * The normalization plugin. It has no state: its components are the {@code @Extension} factories of
 * this package, which PF4J finds through the index its annotation processor writes. The re-estimation
 * of batch norm's statistics, {@link dev.regimen.api.nn.PreciseBatchNorm}, is in the API.
 */
public final class NormalizationPlugin extends Plugin {
  public NormalizationPlugin() {
    super();
  }
}
