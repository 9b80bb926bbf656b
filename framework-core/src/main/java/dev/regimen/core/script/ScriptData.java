package dev.regimen.core.script;

import org.graalvm.polyglot.HostAccess;

/**
 * What the data loaders return: the splits of one data set, each a {@link ScriptDataset} or null.
 * {@code normalizer} names the scaling fitted on {@code train} and applied to the others, or is null.
 */
public final class ScriptData {
  @HostAccess.Export
  public final ScriptDataset train;

  @HostAccess.Export
  public final ScriptDataset validation;

  @HostAccess.Export
  public final ScriptDataset test;

  @HostAccess.Export
  public final String normalizer;

  ScriptData(ScriptDataset train, ScriptDataset validation, ScriptDataset test, String normalizer) {
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.normalizer = normalizer;
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return "train: " + train + (validation == null ? "" : ", validation: " + validation)
        + (test == null ? "" : ", test: " + test) + (normalizer == null ? "" : ", normalized: " + normalizer);
  }
}
