package dev.regimen.plugins.distillation;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.nn.Layers;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.ObjectiveContext;
import dev.regimen.api.train.Samples;
import dev.regimen.api.train.TrainingOutcome;
import dev.regimen.api.train.TrainingSetup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * FitNets hint training (Romero, Ballas, Kahou, Chassang, Gatta and Bengio 2015, "FitNets: Hints for
 * Thin Deep Nets"), stage 1: the student, up to its guided layer g, learns to predict the teacher's
 * hint layer h through a learned regressor r (a {@link HintRegressor}, made from the two shapes),
 *
 * <pre>
 *   L_HT = 1/2 || u_h(x) - r(v_g(x)) ||^2,
 * </pre>
 *
 * u_h the teacher's hint value (evaluation mode, no gradient) and v_g the student's guided value,
 * both taken as taps by name (a sequential model records every child's output under the child's name,
 * e.g. {@code relu_1}). Normalization: the squared norm is summed over every element of one sample's
 * hint and averaged over the batch, (1 / 2N) sum_i sum_j (u_ij - r(v_i)_j)^2, as in the paper's
 * per-example loss; unlike a mean squared error it grows with the hint's size, so a large hint wants a
 * smaller learning rate. The regressor's weights are {@link #parameters()}, which the trainer
 * optimizes as {@code objective.regressor.weight} and {@code objective.regressor.bias}; {@link
 * #requiredTaps()} asks it to record the guided tap.
 *
 * <p>The paper's second stage trains the whole student by knowledge distillation ({@link
 * KnowledgeDistillation}) from the student weights stage 1 left. {@link #train} runs both stages; by
 * hand the recipe with two {@link TrainingSetup}s (the host's trainer, e.g. from {@link
 * dev.regimen.api.host.HostServices#newTraining()}) is:
 *
 * <pre>{@code
 * FitNets hints = new FitNets(Teacher.fromCheckpoint(dir), "relu_1", "relu_1").bind(student, shape);
 * stage1.objective(hints).fit(student, train, validation);                               // stage 1
 * stage2.objective(hints.distillation(4, 0.9)).fit(student, train, validation);          // stage 2
 * }</pre>
 *
 * In stage 1 the layers after the guided one get no gradient from the hint loss, and the optimizers
 * skip parameters without a gradient, so they keep their initial weights; {@link #train} also freezes
 * them, so that a regularizer's penalty or weight decay cannot move them either.
 *
 * <p>The regressor's shape depends on the student, which an objective does not see before training,
 * so the objective must be bound to its student first: {@link #bind} (or {@link #train}) from Java, or
 * options {@code student} and {@code input_shape} together. Binding builds an unbuilt student as
 * {@code Trainer.fit} would with the trainer seed {@code seed} (the trainer's default is 42), and runs
 * one zero sample through both models to read the two shapes. Outside training (validation, a plain
 * loss) the guided value is not recorded by the trainer, and the bound student is run in evaluation
 * mode to get it. The regressor's weights live in the objective and are not in the trainer's
 * checkpoints.
 *
 * <p>Options: {@code teacher} (required, see {@link Teacher}), {@code hint} (required, the teacher's
 * tap), {@code guided} (required, the student's tap), {@code kernel_size} (1 or 3, default 1, for a
 * convolutional regressor), {@code activation} ({@code linear} or {@code relu}, default {@code
 * linear}: match the hint's non-linearity), {@code student} and {@code input_shape} (to bind at once),
 * {@code seed} (default 42: the student's build, the regressor's initial weights).
 */
public final class FitNets implements Objective {
  public static final String NAME = "fitnets";

  private final Teacher teacher;
  private final String hint;
  private final String guided;
  private final int kernelSize;
  private final boolean relu;
  private final long seed;
  private Layer student;
  private HintRegressor regressor;

  public FitNets(Options options) {
    this(Teacher.fromOption(options, "teacher"), options.getString("hint"), options.getString("guided"),
        options.getInt("kernel_size"), options.getString("activation").equals("relu"), options.getLong("seed"));
    Object model = options.get("student");
    if (model != null || options.has("input_shape")) {
      options.check(model instanceof Layer && options.has("input_shape"), "options student (a model) and input_shape"
          + " (its per-sample input shape) go together. Received: student=" + model + ", input_shape="
          + options.get("input_shape"));
      bind((Layer) model, options.getIntList("input_shape").stream().mapToLong(Integer::longValue).toArray());
    }
  }

  /** Hints from the teacher's tap {@code hint} for the student's tap {@code guided}: dense or 1x1, linear, seed 42. */
  public FitNets(Teacher teacher, String hint, String guided) {
    this(teacher, hint, guided, 1, false, 42);
  }

  /**
   * @param kernelSize the convolutional regressor's kernel size, 1 or 3
   * @param relu whether the regressor ends with a ReLU (for a hint taken after one)
   * @param seed the trainer seed an unbuilt student is built with; the regressor's weights derive from it
   */
  public FitNets(Teacher teacher, String hint, String guided, int kernelSize, boolean relu, long seed) {
    this.teacher = Objects.requireNonNull(teacher, "teacher");
    this.hint = Objects.requireNonNull(hint, "hint");
    this.guided = Objects.requireNonNull(guided, "guided");
    if (kernelSize != 1 && kernelSize != 3) {
      throw new IllegalArgumentException("objective '" + NAME + "': kernel_size must be 1 or 3. Received: kernel_size="
          + kernelSize);
    }
    this.kernelSize = kernelSize;
    this.relu = relu;
    this.seed = seed;
  }

  /**
   * Makes the regressor for this student and per-sample input shape: builds the student if needed,
   * and reads the guided and hint shapes from one zero sample through both models. Binding the same
   * student again does nothing.
   *
   * @throws IllegalStateException if already bound to another student
   * @throws IllegalArgumentException if either model records no such tap, listing the taps it records
   * @throws ShapeException if no regressor maps the two shapes, naming both
   */
  public FitNets bind(Layer student, long[] inputShape) {
    Objects.requireNonNull(student, "student");
    if (this.student == student) {
      return this;
    }
    if (this.student != null) {
      throw new IllegalStateException("objective '" + NAME + "' is bound to student '" + this.student.name()
          + "' already; its regressor fits that student: make a new objective for another one");
    }
    if (!student.isBuilt()) {
      Layers.build(student, inputShape, new Rng(seed).fork("init")); // as Trainer.fit builds with this seed
    } else {
      Layers.assignNames(student);
    }
    DataType type = Teacher.typeOf(student, Tensor.defaultType());
    long[] probeShape = new long[inputShape.length + 1];
    probeShape[0] = 1;
    System.arraycopy(inputShape, 0, probeShape, 1, inputShape.length);
    Tensor probe = Tensor.zeros(type, probeShape);
    long[] guidedShape;
    long[] hintShape;
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      ForwardContext ctx = ForwardContext.evaluation().recordingTaps();
      student.forward(probe, ctx);
      guidedShape = Teacher.sampleShape(Teacher.requireTap(ctx.taps(), guided, "The student"));
      hintShape = Teacher.sampleShape(teacher.tap(probe, hint));
    }
    try (Tensor.GradScope ignored = Tensor.defaultType(type)) {
      regressor = HintRegressor.infer(guided, guidedShape, hint, hintShape, kernelSize, relu,
          new Rng(seed).fork(NAME));
    }
    this.student = student;
    return this;
  }

  /** The regressor, once bound. */
  public HintRegressor regressor() {
    requireBound();
    return regressor;
  }

  public Teacher teacher() {
    return teacher;
  }

  /** Stage 2: knowledge distillation from the same teacher (loaded once). */
  public KnowledgeDistillation distillation(double temperature, double alpha) {
    return new KnowledgeDistillation(teacher, temperature, alpha);
  }

  @Override
  public Map<String, Tensor> parameters() {
    requireBound();
    return regressor.parameters();
  }

  @Override
  public Set<String> requiredTaps() {
    return Set.of(guided);
  }

  @Override
  public Tensor loss(Tensor output, Tensor target, ObjectiveContext ctx) {
    requireBound();
    Tensor inputs = ctx.batch().inputs();
    return hintLoss(teacher.tap(inputs, hint), regressor.apply(guidedValue(ctx)));
  }

  /**
   * 1/2 ||u - r||^2 summed over each sample's elements and averaged over the batch: (1 / 2N) sum (u -
   * r)^2. The hint u is a constant (detached), converted to r's type.
   *
   * @throws ShapeException if the shapes differ, naming both
   */
  public static Tensor hintLoss(Tensor hint, Tensor regressed) {
    if (!Arrays.equals(hint.shape(), regressed.shape())) {
      throw new ShapeException(NAME + ": the hint " + Arrays.toString(hint.shape()) + " and the regressed guided value "
          + Arrays.toString(regressed.shape()) + " differ in shape");
    }
    Tensor d = hint.detach().cast(regressed.dataType()).sub(regressed);
    return d.mul(d).sum().mul(0.5 / regressed.size(0));
  }

  /** The guided value the trainer recorded, or, outside training, the bound student's in evaluation mode. */
  private Tensor guidedValue(ObjectiveContext ctx) {
    Tensor v = ctx.taps().get(guided);
    if (v != null) {
      return v;
    }
    if (!ctx.taps().isEmpty()) {
      return Teacher.requireTap(ctx.taps(), guided, "The student");
    }
    ForwardContext evaluation = ForwardContext.evaluation().recordingTaps();
    student.forward(ctx.batch().inputs(), evaluation);
    return Teacher.requireTap(evaluation.taps(), guided, "The student");
  }

  private void requireBound() {
    if (regressor == null) {
      throw new IllegalStateException("objective '" + NAME + "' is not bound to a student: its regressor's shape"
          + " depends on the student's guided layer '" + guided + "'. Call bind(student, inputShape) or FitNets.train"
          + " from Java, or give the options student and input_shape");
    }
  }

  /**
   * The outcome of {@link #train}.
   *
   * @param hints stage 1's history (loss: the hint loss)
   * @param distillation stage 2's history
   * @param frozenInStage1 the student layers the hint loss does not reach, frozen in stage 1
   */
  public record Stages(TrainingOutcome hints, TrainingOutcome distillation, List<String> frozenInStage1) {}

  /**
   * Both stages of FitNets on one student: binds this objective to it ({@code train.sampleShape()}),
   * trains stage 1 with {@code stage1} and this objective (freezing the layers the hint does not
   * reach, found by one backward pass on a few training rows), then stage 2 with {@code stage2}, whose
   * objective the caller sets, usually {@link #distillation}. Each setup carries its own optimizer
   * (a fresh one per stage), epochs and seed; both run on the host's trainer through {@link
   * TrainingSetup#fit}, and {@code stage1} is left with this objective and the frozen layers set.
   */
  public Stages train(Layer student, Samples train, Samples validation, TrainingSetup stage1,
      TrainingSetup stage2) {
    bind(student, train.sampleShape());
    List<String> unreached = layersTheHintMisses(train);
    TrainingOutcome hints = stage1.objective(this).freeze(unreached.toArray(String[]::new))
        .fit(student, train, validation);
    TrainingOutcome distilled = stage2.fit(student, train, validation);
    return new Stages(hints, distilled, unreached);
  }

  /** The student's layers with parameters none of which the hint loss reaches (one probe backward pass). */
  private List<String> layersTheHintMisses(Samples train) {
    Samples sample = train.subset(IntStream.range(0, Math.min(train.size(), 16)).toArray());
    List<Parameter> parameters = Layers.parameters(student);
    parameters.forEach(p -> p.value().zeroGrad());
    ForwardContext ctx = ForwardContext.training(new Rng(seed).fork("probe")).withSampling(false)
        .withStateUpdates(false).recordingTaps();
    student.forward(sample.features(), ctx);
    Tensor guidedValue = Teacher.requireTap(ctx.taps(), guided, "The student");
    hintLoss(teacher.tap(sample.features(), hint), regressor.apply(guidedValue)).backward();
    Map<String, Boolean> reached = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      reached.merge(p.name().substring(0, p.name().lastIndexOf('.')), p.value().grad() != null, Boolean::logicalOr);
    }
    parameters.forEach(p -> p.value().zeroGrad());
    regressor.parameters().values().forEach(Tensor::zeroGrad);
    List<String> out = new ArrayList<>();
    reached.forEach((layer, hit) -> {
      if (!hit) {
        out.add(layer);
      }
    });
    return out;
  }

  @Override
  public String toString() {
    return NAME + "(" + teacher + ", hint=" + hint + ", guided=" + guided
        + (regressor == null ? "" : ", " + regressor) + ")";
  }

  /** Makes {@code fitnets}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Objective> {
    public Factory() {
      super(ComponentKind.OBJECTIVE, NAME,
          "FitNets hints (Romero et al. 2015): 1/2 ||u_h - r(v_g)||^2, the student's guided tap regressing the"
              + " teacher's hint tap through a learned regressor r",
          List.of(
              OptionSpec.required("teacher", OptionType.ANY,
                  "the trained teacher: a model, or a checkpoint folder (path) of built-in layers"),
              OptionSpec.required("hint", OptionType.STRING, "the teacher's tap (layer name) giving the hint"),
              OptionSpec.required("guided", OptionType.STRING, "the student's tap (layer name) that learns the hint"),
              OptionSpec.of("kernel_size", OptionType.INT, 1, "kernel of a convolutional regressor (NCHW taps)")
                  .oneOf("1", "3"),
              OptionSpec.of("activation", OptionType.STRING, "linear", "the regressor's non-linearity, as the hint's")
                  .oneOf("linear", "relu"),
              OptionSpec.of("student", OptionType.ANY, null, "the student model, to make the regressor at once"),
              OptionSpec.of("input_shape", OptionType.INT_LIST, null, "the student's per-sample input shape")
                  .atLeast(1),
              OptionSpec.of("seed", OptionType.INT, 42,
                  "the trainer seed: builds an unbuilt student as Trainer.fit would; seeds the regressor")));
    }

    @Override
    public Objective create(Options options) {
      return new FitNets(options);
    }
  }
}
