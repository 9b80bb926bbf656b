package dev.regimen.core.multitask;

import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.metrics.AveragedMetric;
import java.util.Map;
import java.util.Objects;

/**
 * A metric of one head of a multi-task model: the wrapped metric sees only that head's output
 * columns and target columns (as laid out by a {@link MultiTaskObjective}), and is named
 * {@code <head>_<metric>}, so the history holds {@code digit_accuracy} and {@code
 * val_digit_accuracy} beside the other heads' metrics. Watching each task on its own matters: the
 * total loss can fall while one task gets worse, which is the negative transfer Caruana (1997)
 * warns about.
 */
public final class HeadMetric implements Metric {
  private final MultiTaskObjective objective;
  private final String head;
  private final Metric metric;

  /**
   * Wraps {@code metric} for {@code head}.
   *
   * @throws IllegalArgumentException for a head the objective does not have, listing its heads
   */
  public HeadMetric(MultiTaskObjective objective, String head, Metric metric) {
    this.objective = Objects.requireNonNull(objective, "objective");
    this.metric = Objects.requireNonNull(metric, "metric");
    if (!objective.heads().contains(head)) {
      throw new IllegalArgumentException("HeadMetric: " + MultiTaskObjective.NAME + " has no head '" + head
          + "'. Heads: " + String.join(", ", objective.heads()));
    }
    this.head = head;
  }

  /**
   * The head's own (unweighted) loss L_h, averaged over samples, named {@code <head>_loss}. It calls
   * the head's objective with a context that has no batch and no taps, so it suits losses computed
   * from outputs and targets alone (all built-in losses).
   */
  public static HeadMetric loss(MultiTaskObjective objective, String head) {
    return new HeadMetric(objective, head, new HeadLoss(objective, head));
  }

  /** The head this metric reads. */
  public String head() {
    return head;
  }

  /** The wrapped metric. */
  public Metric metric() {
    return metric;
  }

  @Override
  public String name() {
    return head + "_" + metric.name();
  }

  @Override
  public boolean higherIsBetter() {
    return metric.higherIsBetter();
  }

  @Override
  public void reset() {
    metric.reset();
  }

  @Override
  public void update(Tensor output, Tensor target) {
    metric.update(objective.headOutput(head, output), objective.headTarget(head, target));
  }

  @Override
  public double value() {
    return metric.value();
  }

  @Override
  public Map<String, Object> state() {
    return metric.state();
  }

  @Override
  public void loadState(Map<String, Object> state) {
    metric.loadState(state);
  }

  @Override
  public String toString() {
    return name();
  }

  /** A head's loss averaged over samples: sum over batches of L_h * n / sum of n. */
  private static final class HeadLoss extends AveragedMetric {
    private final MultiTaskObjective objective;
    private final String head;

    HeadLoss(MultiTaskObjective objective, String head) {
      this.objective = objective;
      this.head = head;
    }

    @Override
    public String name() {
      return "loss";
    }

    @Override
    public boolean higherIsBetter() {
      return false;
    }

    @Override
    @SuppressWarnings("try") // the scope is used for its effect, not referenced
    public void update(Tensor output, Tensor target) {
      try (Tensor.GradScope ignored = Tensor.noGrad()) {
        Tensor loss = objective.objective(head).loss(output, target, ObjectiveContext.of(null));
        add(loss.item() * output.size(0), output.size(0));
      }
    }

  }
}
