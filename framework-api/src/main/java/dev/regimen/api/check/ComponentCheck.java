package dev.regimen.api.check;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.ComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.nn.ForwardContext;
import dev.regimen.api.nn.Initializer;
import dev.regimen.api.nn.Layer;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.Tensor;
import dev.regimen.api.train.Augmenter;
import dev.regimen.api.train.Metric;
import dev.regimen.api.train.Objective;
import dev.regimen.api.train.Optimizer;
import dev.regimen.api.train.Regularizer;
import dev.regimen.api.train.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one component factory was found to be: the checks that {@code regimen plugins --check JAR} and
 * the test kit's {@code PluginContract} both run on every component a plugin contributes, written
 * once here so that a jar the contract passes is a jar the check passes.
 *
 * <p>The checks, in order, each adding {@link Finding}s (the component passes when none is an error):
 *
 * <ol>
 *   <li>the factory has a description, and every option has one;
 *   <li>it is made with the given options (none: its defaults). A required option that is not given,
 *       or options that its own checks refuse (a {@link ComponentException}, as color_jitter's
 *       all-zero default factors), is a note, and the component is not made; any other exception, a
 *       {@code null}, or an object that is not of its kind's type ({@link #typeOf}) is an error;
 *   <li>a layer is built and run forward on a small batch, in training and in evaluation, on flat
 *       input [2, 8] or, if its shape inference refuses that, on images [2, 3, 8, 8]: a forward that
 *       throws, gives another shape than its {@code outputShape} says, or gives NaN or infinity is an
 *       error; a layer that takes neither input is a note.
 * </ol>
 *
 * @param findings what was found, in order
 * @param made whether the component was made (it may still have errors in its documentation or forward)
 */
public record ComponentCheck(List<Finding> findings, boolean made) {
  /** The per-sample input shapes a layer's forward pass is tried on, in order. */
  private static final List<long[]> INPUT_SHAPES = List.of(new long[] {8}, new long[] {3, 8, 8});
  private static final int BATCH = 2;

  public ComponentCheck {
    findings = List.copyOf(findings);
  }

  /** Checks {@code factory}, making its component with {@code options} (raw, as a script gives them; empty for the defaults). */
  public static ComponentCheck of(ComponentFactory<?> factory, Map<String, ?> options) {
    String what = factory.kind().id() + " " + factory.name();
    List<Finding> findings = new ArrayList<>();
    if (factory.description() == null || factory.description().isBlank()) {
      findings.add(Finding.error(what + ": no description (listings show one line saying what it does)"));
    }
    List<OptionSpec> specs = factory.options();
    for (OptionSpec option : specs) {
      if (option.description().isBlank()) {
        findings.add(Finding.error(what + ": option '" + option.name() + "' has no description"));
      }
    }
    List<String> required = specs.stream().filter(OptionSpec::required).map(OptionSpec::name).toList();
    if (options.isEmpty() && !required.isEmpty()) {
      findings.add(Finding.note(what + ": not made, as option" + (required.size() == 1 ? " " : "s ")
          + String.join(", ", required) + (required.size() == 1 ? " is" : " are") + " required"));
      return new ComponentCheck(findings, false);
    }
    String given = options.isEmpty() ? "its default options" : "the options " + new TreeMap<>(options);
    Object component;
    try {
      component = factory.create(options);
    } catch (ComponentException e) {
      // the framework's own refusal of options: a component may need a choice made (color_jitter's factors)
      findings.add(Finding.note(what + ": not made, as " + given + " are refused: " + e.getMessage()));
      return new ComponentCheck(findings, false);
    } catch (RuntimeException | LinkageError e) {
      findings.add(Finding.error(what + ": cannot be made with " + given + ": " + describe(e)));
      return new ComponentCheck(findings, false);
    }
    Class<?> type = typeOf(factory.kind());
    if (component == null || !type.isInstance(component)) {
      findings.add(Finding.error(what + ": its factory made " + (component == null ? "null"
          : "a " + component.getClass().getName()) + ", which is not a " + type.getName()));
      return new ComponentCheck(findings, false);
    }
    String made = specs.size() + " option" + (specs.size() == 1 ? "" : "s") + ", made with "
        + (options.isEmpty() ? "the defaults" : given);
    if (factory.kind() == ComponentKind.LAYER) {
      String forward = checkForward(what, (Layer) component, findings);
      made = forward == null ? null : made + "; " + forward;
    }
    if (made != null && findings.stream().noneMatch(Finding::isError)) {
      findings.add(Finding.ok(what + ": " + made));
    }
    return new ComponentCheck(findings, true);
  }

  /** The findings that are errors. */
  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }

  /** Whether no finding is an error. */
  public boolean passed() {
    return errors().isEmpty();
  }

  /** The interface a component of a kind implements. */
  public static Class<?> typeOf(ComponentKind kind) {
    return switch (kind) {
      case LAYER -> Layer.class;
      case OBJECTIVE -> Objective.class;
      case OPTIMIZER -> Optimizer.class;
      case REGULARIZER -> Regularizer.class;
      case AUGMENTER -> Augmenter.class;
      case SCHEDULER -> Scheduler.class;
      case METRIC -> Metric.class;
      case INITIALIZER -> Initializer.class;
    };
  }

  /** An exception in one line: its class, its message and its causes ({@code IllegalStateException: ... (caused by ...)}). */
  public static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null && !e.getMessage().isBlank()) {
      s.append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      s.append(" (caused by ").append(describe(cause)).append(')');
    }
    return s.toString();
  }

  /** Runs a layer forward on the first input shape it accepts; returns what ran, or {@code null} after an error or a note. */
  private static String checkForward(String what, Layer layer, List<Finding> findings) {
    List<String> refused = new ArrayList<>();
    for (long[] shape : INPUT_SHAPES) {
      long[] out;
      try {
        out = layer.outputShape(shape.clone());
        layer.build(shape.clone(), new Rng(1));
      } catch (RuntimeException e) {
        refused.add(Arrays.toString(shape) + ": " + describe(e));
        continue;
      }
      long[] batchShape = withBatch(shape);
      long[] expected = withBatch(out);
      for (boolean training : new boolean[] {true, false}) {
        String on = what + ": forward on " + Arrays.toString(batchShape) + " in " + (training ? "training" : "evaluation");
        INDArray x = new Rng(7).normal(DataType.FLOAT, 0, 1, batchShape);
        Tensor y;
        try {
          y = layer.forward(Tensor.of(x), training ? ForwardContext.training(new Rng(3)) : ForwardContext.evaluation());
        } catch (RuntimeException | LinkageError e) {
          findings.add(Finding.error(on + " failed: " + describe(e)));
          return null;
        }
        if (y == null) {
          findings.add(Finding.error(on + " returned null"));
          return null;
        }
        if (!Arrays.equals(y.shape(), expected)) {
          findings.add(Finding.error(on + " gave shape " + Arrays.toString(y.shape()) + ", but its outputShape says "
              + Arrays.toString(expected)));
          return null;
        }
        INDArray values = y.array();
        if (values.dataType().isFPType() && !allFinite(values)) {
          findings.add(Finding.error(on + " gave NaN or infinite values"));
          return null;
        }
      }
      return "forward on " + Arrays.toString(batchShape) + " -> " + Arrays.toString(expected)
          + " in training and evaluation";
    }
    findings.add(Finding.note(what + ": forward not run, as it accepts none of the test inputs ("
        + String.join("; ", refused) + ")"));
    return null;
  }

  private static boolean allFinite(INDArray a) {
    double sum = a.castTo(DataType.DOUBLE).sumNumber().doubleValue();
    double abs = a.castTo(DataType.DOUBLE).norm1Number().doubleValue();
    return Double.isFinite(sum) && Double.isFinite(abs);
  }

  private static long[] withBatch(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = BATCH;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }
}
