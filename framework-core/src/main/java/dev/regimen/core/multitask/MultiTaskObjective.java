package dev.regimen.core.multitask;

import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.core.layers.MultiHead;
import dev.regimen.core.losses.MeanSquaredError;
import dev.regimen.core.losses.SoftmaxCrossEntropy;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The objective of multi-task learning with hard parameter sharing (Caruana 1997, "Multitask
 * Learning"): a weighted sum of one loss per head of a {@link MultiHead},
 *
 * <pre>  L = sum_h w_h L_h(y[:, out_h], t[:, tgt_h])</pre>
 *
 * where out_h are the head's output columns ({@link MultiHead#headSlices()}) and tgt_h its target
 * columns. Each L_h is averaged over the batch, so the weights w_h set the tasks' relative pull on
 * the shared trunk: the gradient reaching the trunk is sum_h w_h dL_h/dt. A weight of 0 switches a
 * task off (its loss is not even computed); weights are otherwise not normalized.
 *
 * <p><b>Targets.</b> One matrix [N, T] (for example {@code Dataset.regression(features, targets)})
 * whose columns are laid out head after head, in the {@link MultiHead}'s head order (not the order
 * in which tasks were added to the builder). A {@link Builder#classification classification} head
 * takes 1 column, the class label, as a float; a {@link Builder#regression regression} head takes as
 * many columns as it has outputs; {@link Builder#head(String, Objective, double, int)} sets any
 * count. {@link #targetSlices()} gives the layout. A digit classifier with a 10-way head {@code digit}
 * and a 1-output head {@code ink} thus takes targets [N, 2]: the label, then the regression value.
 *
 * <p>The slices need the heads' output widths, known once the model is built; the objective may be
 * made before (the trainer builds the model in {@code fit}) and reads them at the first loss.
 */
public final class MultiTaskObjective implements Objective {
  public static final String NAME = "multi_task";

  /** One head's task: its loss, its weight, and how many target columns it takes (0: its output width). */
  private record Task(Objective objective, double weight, int targetColumns, String kind) {}

  private final MultiHead model;
  private final Map<String, Task> tasks;

  private MultiTaskObjective(MultiHead model, Map<String, Task> tasks) {
    this.model = model;
    this.tasks = tasks;
  }

  /** A builder for the heads of this multi-head layer; every head needs a task. */
  public static Builder builder(MultiHead model) {
    return new Builder(model);
  }

  /** The multi-head layer whose output this objective splits. */
  public MultiHead model() {
    return model;
  }

  /** The head names, in the model's (and the targets') order. */
  public List<String> heads() {
    return List.copyOf(tasks.keySet());
  }

  /** The weight w_h of a head. */
  public double weight(String head) {
    return task(head).weight();
  }

  /** The loss L_h of a head. */
  public Objective objective(String head) {
    return task(head).objective();
  }

  /** Which target columns [start, end) belong to which head, in head order; needs the model built. */
  public Map<String, MultiHead.Slice> targetSlices() {
    Map<String, MultiHead.Slice> outputs = model.headSlices();
    Map<String, MultiHead.Slice> out = new LinkedHashMap<>();
    long start = 0;
    for (Map.Entry<String, Task> e : tasks.entrySet()) {
      long width = e.getValue().targetColumns() > 0 ? e.getValue().targetColumns() : outputs.get(e.getKey()).width();
      out.put(e.getKey(), new MultiHead.Slice(start, start + width));
      start += width;
    }
    return Collections.unmodifiableMap(out);
  }

  /** The number of target columns T the objective expects. */
  public long targetColumns() {
    long total = 0;
    for (MultiHead.Slice s : targetSlices().values()) {
      total += s.width();
    }
    return total;
  }

  /** L = sum_h w_h L_h over the heads whose weight is not 0. */
  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    Tensor total = null;
    for (Map.Entry<String, Task> e : tasks.entrySet()) {
      Task task = e.getValue();
      if (task.weight() == 0) {
        continue;
      }
      Tensor term = headLoss(e.getKey(), output, target, ctx);
      if (task.weight() != 1) {
        term = term.mul(task.weight());
      }
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  /** The unweighted loss L_h of one head on its slices of the output and the targets. */
  public Tensor headLoss(String head, Tensor output, Tensor target, ObjectiveContext ctx) {
    return task(head).objective().loss(headOutput(head, output), headTarget(head, target), ctx);
  }

  /**
   * A head's columns of the model's output [N, sum_h d_h].
   *
   * @throws ShapeException if the output does not have the model's width, naming the heads' slices
   */
  public Tensor headOutput(String head, Tensor output) {
    Map<String, MultiHead.Slice> slices = model.headSlices();
    long width = slices.values().stream().mapToLong(MultiHead.Slice::end).max().orElse(0);
    if (output.rank() != 2 || output.size(1) != width) {
      throw new ShapeException(NAME + ": the output has shape " + Arrays.toString(output.shape()) + " but the heads of "
          + model.name() + " give [N, " + width + "]: " + layout(slices, Map.of()));
    }
    MultiHead.Slice s = slices.get(requireHead(head));
    return output.slice(1, s.start(), s.end());
  }

  /**
   * A head's columns of the targets [N, T].
   *
   * @throws ShapeException if the targets do not have T columns, naming every head's columns
   */
  public Tensor headTarget(String head, Tensor target) {
    Map<String, MultiHead.Slice> slices = targetSlices();
    long width = slices.values().stream().mapToLong(MultiHead.Slice::end).max().orElse(0);
    Tensor t = target.rank() == 1 && width == 1 ? target.reshape(target.size(0), 1) : target;
    if (t.rank() != 2 || t.size(1) != width) {
      throw new ShapeException(NAME + ": the targets have shape " + Arrays.toString(target.shape())
          + " but the heads take [N, " + width + "] target columns: " + layout(slices, tasks)
          + "; build them with Dataset.regression(features, targets[N, " + width + "])");
    }
    MultiHead.Slice s = slices.get(requireHead(head));
    return t.slice(1, s.start(), s.end());
  }

  /** A metric for one head, named {@code <head>_<metric>} ({@code digit_accuracy}). */
  public HeadMetric metric(String head, dev.regimen.api.train.Metric metric) {
    return new HeadMetric(this, head, metric);
  }

  /** The parameters of the heads' objectives, named {@code <head>.<name>}. */
  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tasks.forEach((head, task) -> task.objective().parameters().forEach((name, t) -> out.put(head + "." + name, t)));
    return out;
  }

  /** The union of the heads' objectives' taps. */
  @Override
  public Set<String> requiredTaps() {
    Set<String> out = new LinkedHashSet<>();
    tasks.values().forEach(task -> out.addAll(task.objective().requiredTaps()));
    return out;
  }

  private Task task(String head) {
    return tasks.get(requireHead(head));
  }

  private String requireHead(String head) {
    if (!tasks.containsKey(head)) {
      throw new IllegalArgumentException(NAME + " has no head '" + head + "'. Heads: " + String.join(", ", tasks.keySet()));
    }
    return head;
  }

  private static String layout(Map<String, MultiHead.Slice> slices, Map<String, Task> tasks) {
    return slices.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()
        + (tasks.containsKey(e.getKey()) ? " (" + tasks.get(e.getKey()).kind() + ")" : ""))
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return NAME + "(" + tasks.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().weight() + " x "
        + e.getValue().objective()).collect(Collectors.joining(", ")) + ")";
  }

  /** Collects one task per head of the model. */
  public static final class Builder {
    private final MultiHead model;
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    private Builder(MultiHead model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * A classification head: softmax cross-entropy on its logits, with 1 target column holding the
     * class label (0 .. d_h - 1).
     */
    public Builder classification(String head, double weight) {
      return add(head, new SoftmaxCrossEntropy(), weight, 1, "1 label column");
    }

    /** A regression head: mean squared error, with as many target columns as the head has outputs. */
    public Builder regression(String head, double weight) {
      return add(head, new MeanSquaredError(), weight, 0, "regression");
    }

    /** Any objective, with as many target columns as the head has outputs. */
    public Builder head(String head, Objective objective, double weight) {
      return add(head, objective, weight, 0, String.valueOf(objective));
    }

    /** Any objective, with {@code targetColumns} target columns (1 for labels, K for distributions, ...). */
    public Builder head(String head, Objective objective, double weight, int targetColumns) {
      if (targetColumns < 1) {
        throw new IllegalArgumentException(NAME + ": head '" + head + "' needs at least 1 target column. Received: "
            + "targetColumns=" + targetColumns);
      }
      return add(head, objective, weight, targetColumns, targetColumns + " columns, " + objective);
    }

    private Builder add(String head, Objective objective, double weight, int columns, String kind) {
      if (!model.heads().containsKey(head)) {
        throw new IllegalArgumentException(NAME + ": the model has no head '" + head + "'. Heads: "
            + String.join(", ", model.headNames()));
      }
      Objects.requireNonNull(objective, "objective");
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(NAME + ": the weight of head '" + head + "' must be a finite number >= 0. "
            + "Received: weight=" + weight);
      }
      if (tasks.containsKey(head)) {
        throw new IllegalArgumentException(NAME + ": head '" + head + "' already has a task");
      }
      tasks.put(head, new Task(objective, weight, columns, kind));
      return this;
    }

    /**
     * The objective, with the tasks in the model's head order.
     *
     * @throws IllegalArgumentException if a head has no task or every weight is 0
     */
    public MultiTaskObjective build() {
      List<String> missing = model.headNames().stream().filter(h -> !tasks.containsKey(h)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(NAME + ": heads " + missing + " have no task; every head of "
            + model.headNames() + " needs one (a weight of 0 switches a task off)");
      }
      if (tasks.values().stream().allMatch(t -> t.weight() == 0)) {
        throw new IllegalArgumentException(NAME + ": every head's weight is 0, so there is nothing to minimize");
      }
      Map<String, Task> ordered = new LinkedHashMap<>();
      for (String head : model.headNames()) {
        ordered.put(head, tasks.get(head));
      }
      return new MultiTaskObjective(model, Collections.unmodifiableMap(ordered));
    }
  }
}
