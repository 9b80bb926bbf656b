package dev.regimen.core.layers;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.export.OnnxGraph;
import dev.regimen.api.export.OnnxLayer;
import java.util.List;
import java.util.Map;

/**
 * The base of the activations shaped by one option, {@code alpha}, that ONNX takes as the attribute
 * of the operator of the same meaning ({@code elu} and {@code leaky_relu}): it reads and checks alpha
 * once, and exports the layer as that one ONNX node with it. A subclass applies its function with
 * {@link #alpha} in {@link #call}; its doc comment gives the formula, the paper and what alpha means.
 */
public abstract class AlphaActivation extends Activation implements OnnxLayer {
  /** The {@code alpha} option: finite, and at least 0 (above 0 where the subclass does not allow 0). */
  protected final double alpha;

  private final String onnxOperator;

  /**
   * Reads and checks {@code alpha}; the error names the layer and echoes the value.
   *
   * @param type the component name ({@code elu})
   * @param options the layer's validated options, {@code alpha} among them
   * @param onnxOperator the ONNX operator that computes this activation with attribute alpha ({@code Elu})
   * @param zeroAllowed whether alpha = 0 is valid: a leaky ReLU's slope may be 0, while an ELU with
   *     alpha = 0 would be a plain ReLU
   */
  protected AlphaActivation(String type, Options options, String onnxOperator, boolean zeroAllowed) {
    super(type, options);
    this.alpha = options.getDouble("alpha");
    this.onnxOperator = onnxOperator;
    options.check(Double.isFinite(alpha) && (zeroAllowed ? alpha >= 0 : alpha > 0),
        "alpha must be finite and " + (zeroAllowed ? "at least 0" : "positive") + ". Received: alpha=" + alpha);
  }

  @Override
  public final String toOnnx(OnnxGraph graph, String input, long[] inputShape) {
    return graph.node(onnxOperator, List.of(input), Map.of("alpha", alpha));
  }

  /** The spec of option {@code alpha}: a number with this default and meaning, at least 0. */
  protected static OptionSpec alphaOption(double defaultValue, String meaning) {
    return OptionSpec.of("alpha", OptionType.DOUBLE, defaultValue, meaning).atLeast(0);
  }
}
