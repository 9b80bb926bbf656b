package dev.regimen.plugins.distillation;

import dev.regimen.api.tensor.Conv2dSpec;
import dev.regimen.api.tensor.Rng;
import dev.regimen.api.tensor.ShapeException;
import dev.regimen.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The regressor r of FitNets (Romero et al. 2015): it maps the student's guided value v_g to the
 * shape of the teacher's hint u_h, so that a thinner student layer can be compared with a wider
 * teacher layer. Its kind follows from the two per-sample shapes:
 *
 * <ul>
 *   <li>two feature vectors [G] and [H]: a dense map r(v) = v W + b, W [G, H];
 *   <li>two NCHW maps [C_g, h, w] and [C_h, h, w] of the same height and width: a convolution with
 *       k x k kernels, W [C_h, C_g, k, k], stride 1 and zero padding (k - 1) / 2, so the spatial size
 *       is kept; k = 1 (the default) or 3.
 * </ul>
 *
 * Other pairs are refused naming both shapes (the paper also covers a guided map larger than the hint
 * with a k = h_g - h_h + 1 convolution; that is not offered here). The paper matches the regressor's
 * non-linearity to the hint's: with {@code relu} (for a hint taken after a ReLU) r(v) = max(0, v W +
 * b). Weights start Glorot-uniform, U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), biases at zero,
 * in the default floating-point type.
 */
public final class HintRegressor {
  private final long[] guidedShape;
  private final long[] hintShape;
  private final boolean relu;
  private final Conv2dSpec conv;
  private final Tensor weight;
  private final Tensor bias;

  private HintRegressor(long[] guidedShape, long[] hintShape, boolean relu, Conv2dSpec conv, Tensor weight,
      Tensor bias) {
    this.guidedShape = guidedShape;
    this.hintShape = hintShape;
    this.relu = relu;
    this.conv = conv;
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * The regressor from per-sample shapes (without the batch dimension).
   *
   * @param kernelSize the convolution's kernel size for NCHW taps, 1 or 3
   * @throws ShapeException for shapes no dense or same-size convolution maps, naming both
   */
  public static HintRegressor infer(String guided, long[] guidedShape, String hint, long[] hintShape, int kernelSize,
      boolean relu, Rng rng) {
    if (kernelSize != 1 && kernelSize != 3) {
      throw new IllegalArgumentException("FitNets: the regressor's kernel size must be 1 or 3. Received: kernel_size="
          + kernelSize);
    }
    DataType type = Tensor.defaultType();
    if (guidedShape.length == 1 && hintShape.length == 1) {
      long in = guidedShape[0];
      long out = hintShape[0];
      return new HintRegressor(guidedShape.clone(), hintShape.clone(), relu, null,
          glorot(rng, type, in, out, in, out), Tensor.parameter(Nd4j.zeros(type, out)));
    }
    if (guidedShape.length == 3 && hintShape.length == 3 && guidedShape[1] == hintShape[1]
        && guidedShape[2] == hintShape[2]) {
      long in = guidedShape[0];
      long out = hintShape[0];
      long area = (long) kernelSize * kernelSize;
      return new HintRegressor(guidedShape.clone(), hintShape.clone(), relu, Conv2dSpec.of(1, (kernelSize - 1) / 2, 1),
          glorot(rng, type, in * area, out * area, out, in, kernelSize, kernelSize),
          Tensor.parameter(Nd4j.zeros(type, out)));
    }
    throw new ShapeException("FitNets cannot regress the teacher's hint '" + hint + "' of shape "
        + Arrays.toString(hintShape) + " from the student's guided '" + guided + "' of shape "
        + Arrays.toString(guidedShape) + " (per sample): the regressor needs two feature vectors [G] and [H] (dense)"
        + " or two [C, H, W] maps of the same height and width (convolution). Choose layers whose outputs match so,"
        + " or add a flatten or pooling layer to the student");
  }

  private static Tensor glorot(Rng rng, DataType type, long fanIn, long fanOut, long... shape) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return Tensor.parameter(rng.fork("regressor.weight").uniform(type, -limit, limit, shape));
  }

  /** r(v) for a batch of guided values [N, ...guided shape]. */
  public Tensor apply(Tensor guided) {
    long[] sample = Teacher.sampleShape(guided);
    if (!Arrays.equals(sample, guidedShape)) {
      throw new ShapeException("FitNets: the regressor was made for guided values " + Arrays.toString(guidedShape)
          + " per sample and got " + Arrays.toString(guided.shape()));
    }
    Tensor v = guided.cast(weight.dataType());
    Tensor y = conv == null ? v.matmul(weight).add(bias) : v.conv2d(weight, bias, conv);
    return relu ? y.relu() : y;
  }

  /** The trainable tensors, {@code regressor.weight} and {@code regressor.bias}. */
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("regressor.weight", weight);
    out.put("regressor.bias", bias);
    return Collections.unmodifiableMap(out);
  }

  /** Whether this is the convolution form (NCHW taps), else dense. */
  public boolean isConvolution() {
    return conv != null;
  }

  public long[] guidedShape() {
    return guidedShape.clone();
  }

  public long[] hintShape() {
    return hintShape.clone();
  }

  @Override
  public String toString() {
    return (conv == null ? "dense" : "conv " + weight.size(2) + "x" + weight.size(3)) + " regressor "
        + Arrays.toString(guidedShape) + " -> " + Arrays.toString(hintShape) + (relu ? ", relu" : "");
  }
}
