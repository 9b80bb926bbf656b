package dev.regimen.plugins.regularization;

import dev.regimen.api.component.OptionSpec;
import dev.regimen.api.component.OptionType;
import dev.regimen.api.component.Options;
import dev.regimen.api.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Which parameters a regularizer acts on: the weights (Parameter.weight()), plus biases and
 * normalization parameters when {@code include_biases} is set. The trainer passes only trainable,
 * not frozen parameters, so a frozen layer is never regularized (DL4J issue #4250 applied L2 to
 * frozen layers).
 */
record Targets(boolean includeBiases) {

  static final OptionSpec INCLUDE_BIASES = OptionSpec.of("include_biases", OptionType.BOOLEAN, false,
      "also regularize biases and normalization parameters (off: weights only)");

  static Targets of(Options options) {
    return new Targets(options.getBoolean("include_biases"));
  }

  List<Parameter> select(List<Parameter> parameters) {
    if (includeBiases) {
      return parameters;
    }
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : parameters) {
      if (p.weight()) {
        out.add(p);
      }
    }
    return out;
  }
}
