package dev.regimen.plugins.regularization;

import dev.regimen.api.component.ComponentException;
import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which parameters a regularizer acts on, the same two options for every component of this plugin:
 *
 * <ul>
 *   <li>{@code include_biases} (false): by default only weights ({@link Parameter#weight()}: dense and
 *       convolution kernels), not biases or normalization scales and shifts, as in Keras'
 *       {@code kernel_regularizer} and the usual PyTorch parameter groups;
 *   <li>{@code layers} (all): a layer name ({@code "dense_2"}) or a list of names; a parameter is
 *       selected when its layer's name, or its own full name ({@code "dense_2.weight"}), is listed.
 *       Names are matched exactly (a container's name does not select the layers inside it). A name
 *       that selects nothing is an error at the first step: a typo, or a layer that is frozen.
 * </ul>
 *
 * <p>The trainer passes only trainable, not frozen parameters, so a frozen layer is never
 * regularized (DL4J's issue #4250 was L2 applied to frozen layers).
 */
record Targets(String owner, boolean includeBiases, List<String> layers) {

  static final OptionSpec INCLUDE_BIASES = OptionSpec.of("include_biases", OptionType.BOOLEAN, false,
      "also act on biases and normalization parameters (off: weights only)");
  static final OptionSpec LAYERS = OptionSpec.of("layers", OptionType.ANY, null,
      "a layer name or a list of names (or full parameter names, dense_1.weight) to act on; all when absent");

  /** The options every component of the plugin shares, after its own. */
  static List<OptionSpec> withTargetOptions(OptionSpec... own) {
    List<OptionSpec> specs = new ArrayList<>(Arrays.asList(own));
    specs.add(INCLUDE_BIASES);
    specs.add(LAYERS);
    return specs;
  }

  static Targets of(Options options) {
    return new Targets(options.owner(), options.getBoolean("include_biases"), names(options));
  }

  private static List<String> names(Options options) {
    Object value = options.get("layers");
    if (value == null) {
      return List.of();
    }
    List<?> items = value instanceof List<?> list ? list : value instanceof Object[] a ? Arrays.asList(a) : List.of(value);
    if (items.isEmpty() || !items.stream().allMatch(s -> s instanceof String str && !str.isBlank())) {
      throw new ComponentException("Option 'layers' of " + options.owner()
          + " must be a layer name or a non-empty list of names. Received: layers=" + value);
    }
    return items.stream().map(String.class::cast).toList();
  }

  /** The parameters to act on, in the trainer's order. */
  List<Parameter> select(List<Parameter> parameters) {
    List<Parameter> out = new ArrayList<>();
    Set<String> matched = new LinkedHashSet<>();
    for (Parameter p : parameters) {
      if (!layers.isEmpty()) {
        String layer = layerOf(p);
        if (layers.contains(layer)) {
          matched.add(layer);
        } else if (layers.contains(p.name())) {
          matched.add(p.name());
        } else {
          continue;
        }
      }
      if (includeBiases || p.weight()) {
        out.add(p);
      }
    }
    if (matched.size() < layers.size()) {
      List<String> missing = layers.stream().filter(n -> !matched.contains(n)).toList();
      Set<String> known = new LinkedHashSet<>();
      parameters.forEach(p -> known.add(layerOf(p)));
      throw new ComponentException(owner + ": option layers names " + missing
          + ", which has no trainable parameter here (a typo, or a frozen layer?). Layers with trainable parameters: "
          + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
    return out;
  }

  private static String layerOf(Parameter p) {
    int dot = p.name().lastIndexOf('.');
    return dot < 0 ? p.name() : p.name().substring(0, dot);
  }

  /** The options as a component's {@code toString} shows them. */
  String describe() {
    return (includeBiases ? ", include_biases=true" : "") + (layers.isEmpty() ? "" : ", layers=" + layers);
  }
}
