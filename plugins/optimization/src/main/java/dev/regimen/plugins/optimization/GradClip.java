package dev.regimen.plugins.optimization;

import dev.regimen.api.component.AbstractComponentFactory;
import dev.regimen.api.component.ComponentKind;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import dev.regimen.api.train.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Gradient clipping, applied to each update's complete gradient before the optimizer steps with it
 * (the regularizer hook {@link Regularizer#onGradients}), over every trainable parameter that has a
 * gradient. Three modes:
 *
 * <ul>
 *   <li>{@code norm} (Pascanu, Mikolov and Bengio 2013, "On the difficulty of training recurrent neural
 *       networks", Algorithm 1): the gradient of all parameters together is rescaled when its global L2
 *       norm exceeds the threshold c,
 *       <pre>  n = sqrt(sum_p ||g_p||^2);   g = g c / (n + 1e-6)   when n &gt; c</pre>
 *       as PyTorch's {@code clip_grad_norm_} does (its 1e-6 included), so the direction is kept and the
 *       norm is capped at c;
 *   <li>{@code value}: every element is clamped to [-c, c] (PyTorch's {@code clip_grad_value_}, Keras'
 *       {@code clipvalue}); the direction changes;
 *   <li>{@code agc}, adaptive gradient clipping (Brock, De, Smith and Simonyan 2021, "High-Performance
 *       Large-Scale Image Recognition Without Normalization", section 4.1): unit by unit, the gradient is
 *       rescaled when it is large relative to the weights it updates,
 *       <pre>  g_i = g_i lambda max(||w_i||, eps) / ||g_i||   when ||g_i|| / max(||w_i||, eps) &gt; lambda</pre>
 *       with lambda the threshold. A unit is an output unit: a column of a dense weight ({@code [in,
 *       out]}, Regimen's layout), the slice {@code [k, ...]} of a convolution weight ({@code [out, in,
 *       kH, kW]}), and the whole array for a bias or a scale (rank 1 or 0), as in the paper's code and
 *       timm's {@code adaptive_clip_grad}. The paper leaves the final classifier layer unclipped; this
 *       clips every trainable parameter.
 * </ul>
 *
 * <p>With accumulated gradients the sum over the micro-batches is clipped once per update. Options:
 * {@code mode} ({@code norm}), {@code threshold} (c, or lambda for {@code agc}; 1 for {@code norm} and
 * {@code value}, 0.01 for {@code agc}, the paper's value for batch sizes up to 4096), {@code eps}
 * (1e-3, {@code agc} only).
 */
public final class GradClip implements Regularizer {
  public static final String NAME = "grad_clip";

  /** What PyTorch's clip_grad_norm_ adds to the norm before dividing by it. */
  static final double NORM_EPS = 1e-6;

  /** The smallest gradient norm AGC divides by (timm's 1e-6), so a zero gradient stays zero. */
  private static final double AGC_GRAD_FLOOR = 1e-6;

  /** The way the gradient is clipped. */
  public enum Mode {
    NORM,
    VALUE,
    AGC;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Mode mode;
  private final double threshold;
  private final double eps;

  public GradClip(Options options) {
    this.mode = Mode.valueOf(options.getString("mode").toUpperCase(Locale.ROOT));
    this.threshold = options.has("threshold") ? options.getDouble("threshold") : mode == Mode.AGC ? 0.01 : 1.0;
    this.eps = options.getDouble("eps");
    options.check(threshold > 0 && Double.isFinite(threshold),
        "threshold must be a finite number > 0. Received: threshold=" + threshold);
  }

  public Mode mode() {
    return mode;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public void onGradients(List<Parameter> parameters, Context ctx) {
    List<INDArray[]> pairs = new ArrayList<>();
    for (Parameter p : parameters) {
      INDArray grad = p.value().grad();
      if (grad != null) {
        pairs.add(new INDArray[] {p.value().array(), grad});
      }
    }
    switch (mode) {
      case NORM -> clipNorm(pairs);
      case VALUE -> pairs.forEach(pair -> Transforms.min(Transforms.max(pair[1], -threshold, false), threshold, false));
      case AGC -> pairs.forEach(pair -> clipAdaptive(pair[0], pair[1]));
    }
  }

  /** The global L2 norm of these gradients, summed in float64. */
  static double globalNorm(List<INDArray> grads) {
    double squares = 0;
    for (INDArray g : grads) {
      double n = g.castTo(DataType.DOUBLE).norm2Number().doubleValue();
      squares += n * n;
    }
    return Math.sqrt(squares);
  }

  private void clipNorm(List<INDArray[]> pairs) {
    double norm = globalNorm(pairs.stream().map(pair -> pair[1]).toList());
    if (norm > threshold) {
      double scale = threshold / (norm + NORM_EPS);
      pairs.forEach(pair -> pair[1].muli(scale));
    }
  }

  private void clipAdaptive(INDArray weight, INDArray grad) {
    if (weight.rank() <= 1) {
      double w = Math.max(weight.castTo(DataType.DOUBLE).norm2Number().doubleValue(), eps);
      double g = grad.castTo(DataType.DOUBLE).norm2Number().doubleValue();
      if (g / w > threshold) {
        grad.muli(threshold * w / Math.max(g, AGC_GRAD_FLOOR));
      }
      return;
    }
    // The unit axis: the columns of a dense [in, out] weight, the first axis of anything of rank 3 or more.
    int unitAxis = weight.rank() == 2 ? 1 : 0;
    int[] reduce = new int[weight.rank() - 1];
    for (int d = 0, k = 0; d < weight.rank(); d++) {
      if (d != unitAxis) {
        reduce[k++] = d;
      }
    }
    double[] w = weight.castTo(DataType.DOUBLE).norm2(reduce).toDoubleVector();
    double[] g = grad.castTo(DataType.DOUBLE).norm2(reduce).toDoubleVector();
    double[] factor = new double[w.length];
    boolean any = false;
    for (int i = 0; i < w.length; i++) {
      double wi = Math.max(w[i], eps);
      factor[i] = g[i] / wi > threshold ? threshold * wi / Math.max(g[i], AGC_GRAD_FLOOR) : 1;
      any |= factor[i] != 1;
    }
    if (any) {
      INDArray f = Nd4j.createFromArray(factor).castTo(grad.dataType());
      Nd4j.exec(new BroadcastMulOp(grad, f, grad, unitAxis));
    }
  }

  @Override
  public String toString() {
    return NAME + "(mode=" + mode.id() + ", threshold=" + threshold + (mode == Mode.AGC ? ", eps=" + eps : "") + ")";
  }

  /** Makes {@code grad_clip}. */
  @Extension
  public static final class Factory extends AbstractComponentFactory<Regularizer> {
    public Factory() {
      super(ComponentKind.REGULARIZER, NAME,
          "Gradient clipping before each step: by global L2 norm (Pascanu et al. 2013), by value, or adaptive"
              + " unit-wise (AGC, Brock et al. 2021)",
          List.of(
              OptionSpec.of("mode", OptionType.STRING, "norm", "norm: cap the global L2 norm; value: clamp each element;"
                  + " agc: cap each unit's gradient norm relative to its weight norm").oneOf("norm", "value", "agc"),
              OptionSpec.of("threshold", OptionType.DOUBLE, null, "the cap c (norm, value), or lambda (agc); absent:"
                  + " 1 for norm and value, 0.01 for agc").atLeast(0),
              OptionSpec.of("eps", OptionType.DOUBLE, 1e-3, "agc: the smallest weight norm a unit counts with")
                  .atLeast(0)));
    }

    @Override
    public Regularizer create(Options options) {
      return new GradClip(options);
    }
  }
}
