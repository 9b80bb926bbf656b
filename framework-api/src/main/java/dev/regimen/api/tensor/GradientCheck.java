package dev.regimen.api.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Compares the gradients that {@link Tensor#backward()} computes with central finite differences,
 * (f(x + h) - f(x - h)) / 2h, in float64. Used by every op, layer and loss test, and available to
 * plugin authors for their own ops.
 *
 * <p>The function is reduced to a scalar by a fixed random projection sum(f(x) * r), so that every
 * output element contributes with a distinct weight and a gradient routed to the wrong place shows.
 */
public final class GradientCheck {
  private final double step;
  private final double tolerance;
  private final int maxElementsPerInput;

  private GradientCheck(double step, double tolerance, int maxElementsPerInput) {
    this.step = step;
    this.tolerance = tolerance;
    this.maxElementsPerInput = maxElementsPerInput;
  }

  /** Step 1e-6, relative tolerance 1e-5 (with an absolute floor of 1e-8), at most 64 probed elements per input. */
  public static GradientCheck defaults() {
    return new GradientCheck(1e-6, 1e-5, 64);
  }

  public GradientCheck withTolerance(double relative) {
    return new GradientCheck(step, relative, maxElementsPerInput);
  }

  public GradientCheck withStep(double h) {
    return new GradientCheck(h, tolerance, maxElementsPerInput);
  }

  public GradientCheck withMaxElements(int n) {
    return new GradientCheck(step, tolerance, n);
  }

  /** The outcome for the worst element found. */
  public record Result(boolean passed, double maxRelativeError, String worst) {}

  /**
   * Checks the gradients of {@code f} with respect to each of {@code inputs} (float64 parameters whose
   * arrays are perturbed in place and restored).
   */
  public Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Rng rng) {
    for (Tensor t : inputs) {
      if (t.dataType() != DataType.DOUBLE || !t.requiresGrad()) {
        throw new IllegalArgumentException("Gradient checks need float64 parameters; got " + t.dataType()
            + (t.requiresGrad() ? "" : " without requiresGrad"));
      }
      t.zeroGrad();
    }
    Tensor probeOut = f.apply(inputs);
    INDArray projection = rng.normal(DataType.DOUBLE, 0, 1, probeOut.shape());
    Tensor loss = probeOut.mul(Tensor.of(projection)).sum();
    loss.backward();

    double worstError = 0;
    String worst = "none";
    for (int k = 0; k < inputs.size(); k++) {
      Tensor input = inputs.get(k);
      INDArray analytic = input.grad();
      INDArray array = input.array();
      long n = array.length();
      long stride = Math.max(1, n / maxElementsPerInput);
      for (long i = 0; i < n; i += stride) {
        // Element i in row-major order, addressed by subscripts so that any layout (a view, 'f' order) works.
        long[] at = Shape.ind2subC(array.shape(), i, n);
        double original = array.getDouble(at);
        array.putScalar(at, original + step);
        double plus = evaluate(f, inputs, projection);
        array.putScalar(at, original - step);
        double minus = evaluate(f, inputs, projection);
        array.putScalar(at, original);
        double numeric = (plus - minus) / (2 * step);
        double exact = analytic == null ? 0.0 : analytic.getDouble(at);
        double error = Math.abs(numeric - exact) / Math.max(1e-8 / tolerance, Math.max(Math.abs(numeric), Math.abs(exact)));
        if (error > worstError) {
          worstError = error;
          worst = "input " + k + " " + Arrays.toString(input.shape()) + " element " + i + ": analytic " + exact
              + ", numeric " + numeric;
        }
      }
    }
    return new Result(worstError <= tolerance, worstError, worst);
  }

  private static double evaluate(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, INDArray projection) {
    try (Tensor.GradScope ignored = Tensor.noGrad()) {
      return f.apply(inputs).array().mul(projection).sumNumber().doubleValue();
    }
  }
}
