package dev.regimen.plugins.distillation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.Adjustable;
import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.loss.Losses;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015, "Distilling the Knowledge in a Neural
 * Network"): the student's logits s learn the teacher's softened output distribution as well as the
 * labels y,
 *
 * <pre>
 *   loss = alpha T^2 KL(p || q) + (1 - alpha) CE(y, s),
 *   p = softmax(t / T),  q = softmax(s / T),  KL(p || q) = sum_k p_k (log p_k - log q_k),
 * </pre>
 *
 * where t are the teacher's logits for the same batch inputs ({@code ctx.batch().inputs()}), computed
 * in evaluation mode without gradient, and the KL term and the cross-entropy are each averaged over
 * the batch. A temperature T &gt; 1 raises the small probabilities the teacher gives the wrong classes
 * (its "dark knowledge": which 7s look like 1s) to where they shape the student's gradient. That
 * gradient with respect to s is (T^2 / T) (q - p) / N: it shrinks as 1 / T^2 against the
 * unscaled KL, hence the factor T^2, which keeps the soft term's share of the gradient roughly
 * independent of T (for large T it tends to (s - t) / (K N) with zero-mean logits, K classes).
 * Including log p makes the soft term a true KL divergence (zero when the student matches); it is a
 * constant, so the gradient is that of the cross-entropy with the soft targets p.
 *
 * <p>Options: {@code teacher} (required: a trained model, or a checkpoint folder, see {@link
 * Teacher}), {@code temperature} (default 4, &gt; 0) and {@code alpha} (default 0.9, in [0, 1], the
 * weight of the soft term). With alpha = 0 this is plain softmax cross-entropy (the teacher is not
 * run); with alpha = 1 the labels are not used, so an unlabelled transfer set works. Targets are
 * labels [N] or distributions [N, K], as for {@code softmax_cross_entropy}. The output must be logits
 * [N, K] (no softmax layer at the end), like the teacher's.
 */
public final class KnowledgeDistillation implements Objective, Adjustable {
  public static final String NAME = "distillation";
  private static final Set<String> ADJUSTABLE = Set.of("temperature", "alpha");

  private final Teacher teacher;
  private double temperature;
  private double alpha;

  public KnowledgeDistillation(Options options) {
    this(Teacher.fromOption(options, "teacher"), options.getDouble("temperature"), options.getDouble("alpha"));
  }

  /**
   * @throws ComponentException for a temperature that is not a finite number &gt; 0, or an alpha
   *     outside [0, 1], echoing the value
   */
  public KnowledgeDistillation(Teacher teacher, double temperature, double alpha) {
    this.teacher = Objects.requireNonNull(teacher, "teacher");
    this.temperature = checkTemperature(temperature);
    this.alpha = checkAlpha(alpha);
  }

  public Teacher teacher() {
    return teacher;
  }

  public double temperature() {
    return temperature;
  }

  public double alpha() {
    return alpha;
  }

  /** {@code temperature} and {@code alpha} may change while training runs (a schedule of them). */
  @Override
  public Set<String> adjustableOptions() {
    return ADJUSTABLE;
  }

  @Override
  public double option(String name) {
    return switch (name) {
      case "temperature" -> temperature;
      case "alpha" -> alpha;
      default -> throw cannotAdjust(name);
    };
  }

  @Override
  public void adjust(String name, double value) {
    switch (name) {
      case "temperature" -> temperature = checkTemperature(value);
      case "alpha" -> alpha = checkAlpha(value);
      default -> throw cannotAdjust(name);
    }
  }

  private static ComponentException cannotAdjust(String name) {
    return new ComponentException("Option '" + name + "' of objective '" + NAME + "' cannot change while training"
        + " runs; the ones that can: temperature, alpha");
  }

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    Tensor teacherLogits = alpha == 0 ? null : teacher.outputs(ctx.batch().inputs());
    return loss(output, teacherLogits, target, temperature, alpha);
  }

  /**
   * alpha T^2 KL(softmax(t / T) || softmax(s / T)) + (1 - alpha) CE(y, s), each term averaged over the
   * batch; a term whose weight is zero is left out (its inputs may then be {@code null}).
   */
  public static Tensor loss(Tensor studentLogits, Tensor teacherLogits, Tensor targets, double temperature,
      double alpha) {
    checkTemperature(temperature);
    checkAlpha(alpha);
    Tensor hard = alpha == 1 ? null : Losses.softmaxCrossEntropy(studentLogits, targets).mul(1 - alpha);
    if (alpha == 0) {
      return hard;
    }
    Tensor soft = softLoss(studentLogits, teacherLogits, temperature).mul(alpha);
    return hard == null ? soft : soft.add(hard);
  }

  /**
   * The soft term without its weight: T^2 (1/N) sum_i KL(softmax(t_i / T) || softmax(s_i / T)). The
   * teacher's logits are constants (detached) converted to the student's type.
   *
   * @throws ShapeException unless both are [N, K] of the same shape, naming both shapes
   */
  public static Tensor softLoss(Tensor studentLogits, Tensor teacherLogits, double temperature) {
    checkTemperature(temperature);
    if (studentLogits.rank() != 2 || !Arrays.equals(studentLogits.shape(), teacherLogits.shape())) {
      throw new ShapeException(NAME + ": student logits " + Arrays.toString(studentLogits.shape())
          + " and teacher logits " + Arrays.toString(teacherLogits.shape()) + " must both be [N, K] of the same shape"
          + " (the same classes; no softmax at the end of either model)");
    }
    Tensor logP = teacherLogits.detach().cast(studentLogits.dataType()).div(temperature).logSoftmax(1);
    Tensor p = logP.exp();
    Tensor logQ = studentLogits.div(temperature).logSoftmax(1);
    long n = studentLogits.size(0);
    return p.mul(logP.sub(logQ)).sum().mul(temperature * temperature / n);
  }

  private static double checkTemperature(double t) {
    if (!(t > 0) || Double.isInfinite(t)) {
      throw new ComponentException("objective '" + NAME + "': temperature must be a finite number > 0. Received: "
          + "temperature=" + t);
    }
    return t;
  }

  private static double checkAlpha(double a) {
    if (!(a >= 0 && a <= 1)) {
      throw new ComponentException("objective '" + NAME + "': alpha must be in [0, 1]. Received: alpha=" + a);
    }
    return a;
  }

  @Override
  public String toString() {
    return NAME + "(" + teacher + ", temperature=" + temperature + ", alpha=" + alpha + ")";
  }

  /** Makes {@code distillation}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME,
          "Knowledge distillation (Hinton et al. 2015): alpha T^2 KL(softmax(t/T) || softmax(s/T))"
              + " + (1 - alpha) CE(labels, s), t the teacher's logits",
          List.of(
              OptionSpec.required("teacher", OptionType.ANY,
                  "the trained teacher: a model, or a checkpoint folder (path) of built-in layers"),
              OptionSpec.of("temperature", OptionType.DOUBLE, 4.0, "softmax temperature T of both models, > 0"),
              OptionSpec.of("alpha", OptionType.DOUBLE, 0.9,
                  "weight of the soft (teacher) term; 1 - alpha weighs the label cross-entropy").range(0, 1)));
    }

    @Override
    public Objective create(Options options) {
      return new KnowledgeDistillation(options);
    }
  }
}
