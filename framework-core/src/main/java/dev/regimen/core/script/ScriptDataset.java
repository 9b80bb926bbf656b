package dev.regimen.core.script;

import dev.regimen.core.data.Dataset;
import dev.regimen.core.data.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.HostAccess;

/**
 * A data set as scripts hold it ({@code data.train}): its size and shape can be asked; passing it to
 * {@code fit}, {@code evaluate} or {@code predict} hands over the data. It remembers the normalizer
 * fitted on its training set, which trainers save with their checkpoints.
 */
public final class ScriptDataset implements Values.Handle {
  private final Dataset dataset;
  private final Normalizer normalizer;
  private final String description;
  private final String split;

  /**
   * @param description the data set it comes from, e.g. {@code digits}
   * @param split which split of it this is ({@code train}, {@code validation}, {@code test}), or null
   */
  ScriptDataset(Dataset dataset, Normalizer normalizer, String description, String split) {
    this.dataset = dataset;
    this.normalizer = normalizer;
    this.description = description;
    this.split = split;
  }

  /** The split a loader made this set as ({@code train}, {@code validation}, {@code test}), or null. */
  String split() {
    return split;
  }

  Dataset dataset() {
    return dataset;
  }

  /** The normalizer fitted on the training data this set was scaled with, or null. */
  Normalizer normalizer() {
    return normalizer;
  }

  @Override
  public Object unwrap() {
    return dataset;
  }

  /** The number of samples. */
  @HostAccess.Export
  public int size() {
    return dataset.size();
  }

  /** One sample's shape, e.g. [64] or [1, 8, 8]. */
  @HostAccess.Export
  public Object shape() {
    List<Object> out = new ArrayList<>();
    for (long d : dataset.sampleShape()) {
      out.add((int) d);
    }
    return Values.toGuest(out);
  }

  /** The number of classes, or 0 for regression. */
  @HostAccess.Export
  public int classes() {
    return dataset.numClasses();
  }

  /** The class labels (classification only). */
  @HostAccess.Export
  public Object labels() {
    return Values.toGuest(dataset.labels());
  }

  /** The regression targets or class labels, as nested lists. */
  @HostAccess.Export
  public Object targets() {
    return Values.nested(dataset.targets().array());
  }

  /** The first {@code n} samples (all if fewer), for a quick look or a prediction. */
  @HostAccess.Export
  public ScriptDataset head(int n) {
    if (n < 1) {
      throw new ScriptApiException("head(n) takes n >= 1. Received: n=" + n);
    }
    int k = Math.min(n, dataset.size());
    return new ScriptDataset(dataset.head(k), normalizer, "the first " + k + " of " + description, null);
  }

  @HostAccess.Export
  @Override
  public String toString() {
    return dataset.toString();
  }
}
